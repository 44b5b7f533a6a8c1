import { z } from 'zod';
import type { Classification, ModelInfo } from '../ports/model.js';

const species = z.enum(['dog', 'cat']);
// z.number() refuses NaN and ±Infinity (JSON.parse reads 1e999 as Infinity).
const probability = z.number().min(0).max(1);

const classification = z
  .object({
    scores: z
      .array(z.object({ label: z.string(), confidence: probability, species: species.nullable().optional() }))
      .min(1),
    species: species.nullable(),
    pet: z.object({ score: probability, isPet: z.boolean() }).optional(),
    unsure: z.boolean(),
  })
  .refine((c) => c.scores.every((s, i) => i === 0 || s.confidence <= (c.scores[i - 1]?.confidence ?? 0)), {
    message: 'scores are not best first',
    path: ['scores'],
  }) satisfies z.ZodType<Classification>;

/** A cached classification is about a kilobyte of JSON: text far longer than that was not written here. */
const MAX_ENTRY_CHARS = 64 * 1024;

/**
 * The one form of a classification in the cache, used to write it and to read it back: anything the
 * cache returns under a predict key is read through this, because Redis and Upstash hold whatever
 * anyone with access wrote there, and a stale or hostile entry must not reach a client.
 */
export const cachedClassification = z.codec(z.string().max(MAX_ENTRY_CHARS), classification, {
  decode: (text, ctx) => {
    try {
      return JSON.parse(text);
    } catch {
      ctx.issues.push({ code: 'invalid_format', format: 'json', input: text, message: 'not JSON' });
      return z.NEVER;
    }
  },
  encode: (value) => JSON.stringify(value),
});

/**
 * A cached entry as this model wrote it, or why not. Beyond the shape: every label is one of the
 * model's, and there are as many scores as predict asks the model for (`topK`), so every answer
 * sliced from the entry is as long as the model's own would be.
 */
export function readCachedClassification(
  text: string,
  model: ModelInfo,
  topK: number,
): { value: Classification } | { reason: string } {
  const parsed = cachedClassification.safeDecode(text);
  if (!parsed.success) return { reason: z.prettifyError(parsed.error) };
  const { scores } = parsed.data;
  const known = labelSet(model.labels);
  if (!scores.every((s) => known.has(s.label))) return { reason: 'a label the model does not have' };
  const expected = Math.min(topK, model.labels.length);
  if (scores.length !== expected) return { reason: `${scores.length} scores instead of ${expected}` };
  return { value: parsed.data };
}

/** A model's labels as a set, made once per model: a hit checks ten labels against up to 1000. */
const labelSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function labelSet(labels: readonly string[]): ReadonlySet<string> {
  let set = labelSets.get(labels);
  if (!set) {
    set = new Set(labels);
    labelSets.set(labels, set);
  }
  return set;
}
