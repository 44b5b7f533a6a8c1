/**
 * The configuration reference in docs/configuration.md, rendered from the env schema itself (zod 4's
 * JSON Schema export), so a new variable, a changed default or a changed range cannot leave the docs
 * behind. Input mode: what the operator writes in the environment, before coercion and transforms.
 */
import { z } from 'zod';
import { envSchema } from '../../shared/config/env-schema.js';
import { markdownTable } from './markdown-table.js';

interface JsonSchemaProperty {
  type?: string;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  default?: unknown;
  description?: string;
}

export class UndescribedVariableError extends Error {
  override name = 'UndescribedVariableError';
}

const code = (value: unknown) => `\`${String(value)}\``;

function typeOf(p: JsonSchemaProperty): string {
  if (p.enum) return p.enum.map(code).join(', ');
  if (p.type === 'integer' && p.minimum !== undefined && p.maximum !== undefined) {
    return `integer, ${p.minimum.toLocaleString('en-US')}–${p.maximum.toLocaleString('en-US')}`;
  }
  if (p.format === 'uri') return 'URL';
  if (p.type === 'string' && p.maxLength !== undefined) return `string, at most ${p.maxLength} characters`;
  return p.type ?? 'string';
}

function envProperties(schema: z.ZodObject): [string, JsonSchemaProperty][] {
  const json = z.toJSONSchema(schema, { io: 'input' }) as {
    properties: Record<string, JsonSchemaProperty>;
  };
  return Object.entries(json.properties);
}

/** The reference table: one row per variable, in the schema's order. */
export function configReference(schema: z.ZodObject = envSchema): string {
  const rows = envProperties(schema).map(([name, p]) => {
    if (!p.description) {
      throw new UndescribedVariableError(`${name} has no .describe() in shared/config/env-schema.ts`);
    }
    return [code(name), typeOf(p), p.default === undefined ? '–' : code(p.default), p.description];
  });
  return markdownTable(['variable', 'type or values', 'default', 'what it does'], rows);
}
