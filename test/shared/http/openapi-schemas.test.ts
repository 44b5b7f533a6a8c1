import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonSchemaOf } from '../../../shared/http/openapi-schemas.js';

// A draft-07 reader ignores keywords it does not know (prefixItems); strict mode would refuse them.
const draft07 = new Ajv({ strictSchema: false });
const draft2020 = new Ajv2020({ strict: true });
const agree = (schema: z.ZodType, samples: unknown[]) => {
  const json = jsonSchemaOf(schema, 'output');
  const old = draft07.compile(json);
  const current = draft2020.compile(json);
  for (const sample of samples) {
    const expected = schema.safeParse(sample).success;
    expect([old(sample), current(sample)], JSON.stringify(sample)).toEqual([expected, expected]);
  }
  return json;
};

describe('tuples in the generated schemas', () => {
  it('a tuple of one schema becomes items with a fixed length, read alike by draft-07 and 2020-12', () => {
    const pair = z.tuple([z.number().int(), z.number().int()]);
    const json = agree(pair, [[224, 224], [224], [224, 224, 3], [1.5, 2], ['a', 'b'], []]);
    expect(json).toEqual({
      type: 'array',
      items: expect.objectContaining({ type: 'integer' }),
      minItems: 2,
      maxItems: 2,
    });
  });

  it('a tuple of different schemas keeps prefixItems for 2020-12 and a union for draft-07', () => {
    const mixed = z.tuple([z.string(), z.number()]);
    const json = agree(mixed, [['a', 1], ['a', 1, 2], ['a'], [], ['a', true]]);
    expect(json).toMatchObject({ prefixItems: [{ type: 'string' }, { type: 'number' }], maxItems: 2 });
    expect(json.items).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }] });
    // Where the dialects differ (order), 2020-12 is exact and draft-07 is the looser union.
    expect(draft2020.validate(json, [1, 'a'])).toBe(false);
    expect(draft07.validate(json, [1, 'a'])).toBe(true);
  });
});
