import fc from 'fast-check';
import { nastyString } from './hostile-values.js';

/** What the generators draw real values from: the model's labels and a real image hash. */
export interface SaveContext {
  labels: readonly string[];
  modelVersion: string;
  imageSha256: string;
}

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  nastyString,
  fc.double(),
  fc.constantFrom(null, true, [], {}, -0, 1e-320, 1.0000000000000002),
);

/** A save body a client would send: every field valid, topK present or not. */
export function validSave(ctx: SaveContext): fc.Arbitrary<Record<string, unknown>> {
  const label = fc.constantFrom(...ctx.labels);
  const confidence = fc.double({ min: 0, max: 1, noNaN: true });
  return fc.record(
    {
      breed: label,
      confidence,
      imageSha256: fc.constantFrom(ctx.imageSha256, 'ab'.repeat(32)),
      modelVersion: fc.oneof(fc.constant(ctx.modelVersion), fc.string({ minLength: 1, maxLength: 100 })),
      source: fc.constantFrom('model', 'user-corrected'),
      topK: fc.array(fc.record({ breed: label, confidence }), { maxLength: 10 }),
    },
    { requiredKeys: ['breed', 'confidence', 'imageSha256', 'modelVersion', 'source'] },
  );
}

/** A valid body with one field replaced, removed or added: the validation edges, one at a time. */
function mutatedSave(ctx: SaveContext): fc.Arbitrary<Record<string, unknown>> {
  const field = fc.constantFrom(
    'breed',
    'confidence',
    'imageSha256',
    'modelVersion',
    'source',
    'topK',
    'extra',
  );
  return fc.tuple(validSave(ctx), field, anyJson, fc.boolean()).map(([body, name, value, remove]) => {
    const copy: Record<string, unknown> = { ...body };
    if (remove) delete copy[name];
    else copy[name] = value;
    return copy;
  });
}

/** A valid body whose topK entries carry hostile values. */
function hostileTopK(ctx: SaveContext): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      validSave(ctx),
      fc.array(
        fc.record({ breed: fc.oneof(nastyString, fc.constantFrom(...ctx.labels)), confidence: anyJson }),
        { maxLength: 12 },
      ),
    )
    .map(([body, topK]) => ({ ...body, topK }));
}

function serialize(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
}

/** JSON bodies for POST /predictions: valid, mutated, malformed, truncated, binary, oversize. */
export function saveBodyArbitrary(
  ctx: SaveContext,
): fc.Arbitrary<{ kind: string; body: Buffer | undefined }> {
  return fc.oneof(
    { weight: 4, arbitrary: validSave(ctx).map((b) => ({ kind: 'json:valid', body: serialize(b) })) },
    {
      weight: 5,
      arbitrary: mutatedSave(ctx).map((b) => ({ kind: 'json:mutated-field', body: serialize(b) })),
    },
    {
      weight: 2,
      arbitrary: hostileTopK(ctx).map((b) => ({ kind: 'json:hostile-topK', body: serialize(b) })),
    },
    { weight: 1, arbitrary: anyJson.map((v) => ({ kind: 'json:any-value', body: serialize(v) })) },
    {
      weight: 2,
      arbitrary: fc.tuple(validSave(ctx), fc.nat()).map(([b, cut]) => {
        const bytes = serialize(b);
        return { kind: 'json:truncated', body: bytes.subarray(0, cut % bytes.length) };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 200 })
        .map((a) => ({ kind: 'json:random-bytes', body: Buffer.from(a) })),
    },
    {
      weight: 1,
      // Invalid UTF-8 and raw NUL bytes inside a JSON string: JSON.parse sees U+FFFD and U+0000.
      arbitrary: fc.constantFrom('\u0000', '\xff', '\xed\xa0\x80', '\xc0\x80').chain((raw) =>
        validSave(ctx).map((b) => ({
          kind: 'json:raw-bytes-in-string',
          body: Buffer.concat([
            Buffer.from('{"modelVersion":"v'),
            Buffer.from(raw, 'latin1'),
            Buffer.from(
              `",${JSON.stringify(b)
                .slice(1)
                .replace(/"modelVersion":"[^"]*",?/, '')}`,
            ),
          ]),
        })),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(64 * 1024, 64 * 1024 + 1, 200_000)
        .map((n) => ({ kind: 'json:oversize', body: serialize({ modelVersion: 'x'.repeat(n) }) })),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'json:no-body', body: undefined }) },
  );
}
