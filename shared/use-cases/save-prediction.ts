import { randomUUID } from 'node:crypto';
import type { Core } from '../core.js';
import { BadRequestError, IdempotencyConflictError } from '../errors.js';
import type { Caller } from '../ports/identity.js';
import type { BreedScore } from '../ports/model.js';
import type { NewPrediction, PredictionSource, StoredPrediction } from '../ports/prediction-store.js';

export interface SavePredictionInput {
  breed: string;
  confidence: number;
  imageSha256: string;
  modelVersion: string;
  source: PredictionSource;
  topK?: { breed: string; confidence: number }[] | undefined;
}

export interface SavePredictionOutput {
  prediction: StoredPrediction;
  /** true when an earlier save with the same Idempotency-Key was returned. */
  replayed: boolean;
}

export async function savePrediction(
  core: Core,
  caller: Caller,
  input: SavePredictionInput,
  idempotencyKey: string | null,
): Promise<SavePredictionOutput> {
  const labels = core.model.get().info.labels;
  for (const breed of [input.breed, ...(input.topK ?? []).map((t) => t.breed)]) {
    if (!labels.includes(breed)) {
      throw new BadRequestError(
        'UNKNOWN_BREED',
        `"${breed}" is not one of the model's ${labels.length} labels.`,
      );
    }
  }
  const row: NewPrediction = {
    userId: caller.userId,
    imageSha256: input.imageSha256,
    modelVersion: input.modelVersion,
    breed: input.breed,
    confidence: input.confidence,
    topK: input.topK?.map((t): BreedScore => ({ label: t.breed, confidence: t.confidence })) ?? null,
    source: input.source,
    // Without the client's key, one made here still anchors the store's own retries: a retried
    // insert whose first answer was lost after commit then finds its row instead of adding another.
    idempotencyKey: idempotencyKey ?? `server:${randomUUID()}`,
  };
  const { prediction, created } = await core.store.insert(row);
  if (!created && !sameSave(prediction, row)) throw new IdempotencyConflictError();
  return { prediction, replayed: !created };
}

/** A replay must carry the same save; a reused key for different content is the client's bug. */
function sameSave(stored: StoredPrediction, wanted: NewPrediction): boolean {
  return (
    stored.breed === wanted.breed &&
    stored.confidence === wanted.confidence &&
    stored.imageSha256 === wanted.imageSha256 &&
    stored.modelVersion === wanted.modelVersion &&
    stored.source === wanted.source
  );
}
