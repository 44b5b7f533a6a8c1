import { z } from 'zod';
import { isStorableText, STORABLE_TEXT_RULE } from '../storable-text.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');
/** Every free-text value a client sends: bounded, and only what PostgreSQL stores unchanged. */
const clientText = (max: number) => z.string().min(1).max(max).refine(isStorableText, STORABLE_TEXT_RULE);
const breedName = clientText(200);

export const PredictQuery = z.object({
  topK: z.coerce.number().int().min(1).max(10).optional().describe('How many breeds to return (default 3).'),
});

export const Species = z.enum(['dog', 'cat']).nullable();

export const PredictResponse = z.object({
  predictions: z
    .array(z.object({ breed: z.string(), confidence: z.number().min(0).max(1), species: Species.optional() }))
    .describe('The top breeds, best first; empty when verdict is not-a-pet.'),
  verdict: z
    .enum(['breed', 'unsure', 'not-a-pet'])
    .describe(
      'breed: the first prediction is the answer. unsure: a cat or dog, but no breed stands out. ' +
        'not-a-pet: the photo shows no cat or dog (predictions is empty, species null).',
    ),
  species: Species.describe('The likeliest species over all breeds; null when not a pet.'),
  model: z.object({ name: z.string(), version: z.string(), untrained: z.boolean() }),
  imageSha256: sha256,
  cached: z.boolean(),
});

export const SavePredictionBody = z.strictObject({
  breed: breedName,
  confidence: z.number().min(0).max(1),
  imageSha256: sha256,
  modelVersion: clientText(100),
  source: z.enum(['model', 'user-corrected']),
  topK: z
    .array(
      z.strictObject({
        breed: breedName,
        confidence: z.number().min(0).max(1),
        species: Species.optional().describe("When given, it must be the model's species for this breed."),
      }),
    )
    .max(10)
    .optional()
    .describe("The answer's predictions, as /predict gave them."),
});

export const IdempotencyKeyHeader = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'visible ASCII characters');

export const Prediction = z.object({
  id: z.uuid(),
  breed: z.string(),
  confidence: z.number(),
  imageSha256: sha256,
  modelVersion: z.string(),
  source: z.enum(['model', 'user-corrected']),
  topK: z
    .array(z.object({ breed: z.string(), confidence: z.number(), species: Species.optional() }))
    .nullable(),
  createdAt: z.string().describe('ISO 8601, UTC, microsecond precision'),
});

export const ListPredictionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: clientText(512).optional(),
});

export const ListPredictionsResponse = z.object({
  items: z.array(Prediction),
  nextCursor: z.string().nullable(),
});

export const IdParams = z.object({ id: clientText(100) });

export const ModelResponse = z.object({
  name: z.string(),
  version: z.string(),
  format: z.enum(['layers', 'graph']),
  labelsCount: z.number().int(),
  labels: z.array(z.string()),
  inputSize: z.tuple([z.number().int(), z.number().int()]),
  preprocessing: z.object({
    resize: z.enum(['center-crop', 'stretch']),
    scale: z.number(),
    offset: z.number(),
  }),
  untrained: z.boolean(),
  backend: z.string(),
  workers: z
    .number()
    .int()
    .min(0)
    .describe(
      'Worker threads each running a copy of the model, so cache misses use every core (MODEL_WORKERS); 0: one model in the serving thread (Lambda, or MODEL_WORKERS 0).',
    ),
});

export const HealthResponse = z.object({ status: z.literal('ok') });
export const ReadyResponse = z.object({ status: z.literal('ready'), model: z.string() });

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    details: z.unknown().optional(),
  }),
});
