import { z } from 'zod';
import { withPortableTuples } from './openapi-tuples.js';
import type { Operation } from './operation.js';
import * as schemas from './schemas.js';

export type JsonSchema = Record<string, unknown>;

const COMPONENT = '#/components/schemas/';

/**
 * zod's JSON Schema for one schema, without `$schema` (OpenAPI 3.1's dialect is 2020-12 already) and
 * with tuples in the form draft-07 readers accept too.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return withPortableTuples(rest);
}

function exportedNames(): Map<z.ZodType, string> {
  const names = new Map<z.ZodType, string>();
  for (const [name, value] of Object.entries(schemas)) {
    if (value instanceof z.ZodType) names.set(value, name);
  }
  return names;
}

export interface SchemaComponents {
  /** components.schemas of the document. */
  schemas: Record<string, JsonSchema>;
  /** A $ref to the component generated for `schema` read as `io`. */
  ref(schema: z.ZodType, io: 'input' | 'output'): JsonSchema;
}

/**
 * The named schemas of the document: request bodies read as zod's input type, responses (and every
 * object schema exported from schemas.ts that is not a parameter, e.g. Prediction, so that a list item
 * and a saved prediction are one type for client generators) as its output type. Names are the export
 * names of schemas.ts; a schema used both ways gets an `Input` suffix on its request side.
 */
export function schemaComponents(ops: readonly Operation[], errorBody: z.ZodType): SchemaComponents {
  const names = exportedNames();
  const parameters = new Set(ops.flatMap((op) => [op.query, op.params]).filter((s) => s !== undefined));
  const inputs = new Set(ops.flatMap((op) => (op.body.kind === 'json' ? [op.body.schema] : [])));
  const outputs = new Set<z.ZodType>([errorBody]);
  for (const op of ops) if (op.response.schema) outputs.add(op.response.schema);
  for (const schema of names.keys()) {
    if (schema instanceof z.ZodObject && !parameters.has(schema) && !inputs.has(schema)) outputs.add(schema);
  }
  const ids = { input: new Map<z.ZodType, string>(), output: new Map<z.ZodType, string>() };
  const registries = { input: z.registry<{ id: string }>(), output: z.registry<{ id: string }>() };
  let anonymous = 0;
  for (const [io, set] of [
    ['output', outputs],
    ['input', inputs],
  ] as const) {
    for (const schema of set) {
      const base = names.get(schema) ?? `Schema${++anonymous}`;
      const id = io === 'input' && outputs.has(schema) ? `${base}Input` : base;
      registries[io].add(schema, { id });
      ids[io].set(schema, id);
    }
  }
  const generated: Record<string, JsonSchema> = {};
  for (const io of ['output', 'input'] as const) {
    const { schemas: made } = z.toJSONSchema(registries[io], {
      io,
      unrepresentable: 'any',
      uri: (id) => `${COMPONENT}${id}`,
    });
    for (const [id, { $schema: _dialect, $id: _id, ...schema }] of Object.entries(made)) {
      generated[id] = withPortableTuples(schema);
    }
  }
  const sorted = Object.fromEntries(Object.entries(generated).sort(([a], [b]) => a.localeCompare(b)));
  return {
    schemas: sorted,
    ref(schema, io) {
      const id = ids[io].get(schema);
      if (!id) throw new Error(`No ${io} component for a schema of the operation table.`);
      return { $ref: `${COMPONENT}${id}` };
    },
  };
}
