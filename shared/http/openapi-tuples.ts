import { isDeepStrictEqual } from 'node:util';
import type { JsonSchema } from './openapi-schemas.js';

/**
 * zod writes a tuple as 2020-12's `prefixItems` with `items: false`. Spectral and Prism evaluate
 * schemas like draft-07, where `items` must be a schema and `prefixItems` is unknown, so they reject
 * it. Rewritten here to a form both dialects read the same way:
 * - every position the same schema (e.g. inputSize's [height, width]): `items` with that schema and
 *   maxItems = length (zod's minItems kept), which is exact in both dialects;
 * - positions that differ: `prefixItems` kept (exact in 2020-12), `items` the union of the positions
 *   (what a draft-07 reader checks every element against) and maxItems = length instead of `false`.
 * Applied to every schema the document carries, so a tuple added to schemas.ts later needs nothing.
 */
export function withPortableTuples<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withPortableTuples) as T;
  if (!node || typeof node !== 'object') return node;
  const schema: JsonSchema = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, withPortableTuples(value)]),
  );
  const positions = schema.prefixItems;
  if (!Array.isArray(positions) || schema.items !== false) return schema as T;
  const { prefixItems: _positions, items: _closed, ...rest } = schema;
  const distinct = positions.filter((p, i) => positions.findIndex((q) => isDeepStrictEqual(p, q)) === i);
  // minItems stays as zod wrote it (it counts the required positions); `items: false` meant no more
  // elements than positions.
  const maxItems = Math.min(typeof rest.maxItems === 'number' ? rest.maxItems : Infinity, positions.length);
  if (distinct.length === 1) return { ...rest, items: distinct[0], maxItems } as T;
  return { ...rest, prefixItems: positions, items: { anyOf: distinct }, maxItems } as T;
}
