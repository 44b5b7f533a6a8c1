import { randomUUID } from 'node:crypto';
import type { Core } from '../core.js';
import { BadRequestError, IdempotencyConflictError } from '../errors.js';
import type { Labels } from '../model-slot.js';
import type { Caller } from '../ports/identity.js';
import type { BreedScore, Species } from '../ports/model.js';
import type { NewPrediction, PredictionSource, StoredPrediction } from '../ports/prediction-store.js';

export interface SavePredictionInput {
  breed: string;
  confidence: number;
  imageSha256: string;
  modelVersion: string;
  source: PredictionSource;
  /** A /predict answer's predictions as they are: species, where given, must be the label's. */
  topK?: { breed: string; confidence: number; species?: Species | null | undefined }[] | undefined;
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
  const refused = refutation(input, core.model.labels());
  if (refused) {
    // A retry of a save that an earlier model accepted still replays: labels change with the model.
    const earlier =
      idempotencyKey === null ? null : await core.store.findByIdempotencyKey(caller.userId, idempotencyKey);
    if (earlier) return replayOf(earlier, input);
    throw refused;
  }
  const row: NewPrediction = {
    userId: caller.userId,
    imageSha256: input.imageSha256,
    modelVersion: input.modelVersion,
    breed: input.breed,
    confidence: input.confidence,
    topK: input.topK?.map(toScore) ?? null,
    source: input.source,
    // Without the client's key, one made here still anchors the store's own retries: a retried
    // insert whose first answer was lost after commit then finds its row instead of adding another.
    idempotencyKey: idempotencyKey ?? `server:${randomUUID()}`,
  };
  const { prediction, created } = await core.store.insert(row);
  // Without the client's key, a row already there was written by this very request: the store's
  // retry found the insert its lost first answer had committed. That is a creation, not a replay.
  if (created || idempotencyKey === null) return { prediction, replayed: false };
  return replayOf(prediction, input);
}

/** What the model's labels refute in a save: a breed it does not know, or a breed's species. */
function refutation(input: SavePredictionInput, model: Labels): BadRequestError | null {
  const { labels, species } = model;
  const unknown = [input.breed, ...(input.topK ?? []).map((t) => t.breed)].find((b) => !labels.includes(b));
  if (unknown !== undefined) {
    return new BadRequestError(
      'UNKNOWN_BREED',
      `"${unknown}" is not one of the model's ${labels.length} labels.`,
    );
  }
  for (const score of input.topK ?? []) {
    if (score.species === undefined) continue;
    const own = species?.[labels.indexOf(score.breed)] ?? null;
    if (score.species !== own) {
      return new BadRequestError(
        'SPECIES_MISMATCH',
        `topK names "${score.breed}" ${speciesName(score.species)}; the model's labels make it ${speciesName(own)}.`,
      );
    }
  }
  return null;
}

const speciesName = (species: Species | null) => (species === null ? 'no species' : `a ${species}`);

/** A score as stored: species kept only where the client sent one, so a retry compares equal. */
function toScore({
  breed,
  confidence,
  species,
}: NonNullable<SavePredictionInput['topK']>[number]): BreedScore {
  return species === undefined ? { label: breed, confidence } : { label: breed, confidence, species };
}

/** The earlier row for a reused key: replayed when the request is the same, a conflict otherwise. */
function replayOf(stored: StoredPrediction, input: SavePredictionInput): SavePredictionOutput {
  if (canonicalJson(savedBody(stored)) !== canonicalJson(input)) throw new IdempotencyConflictError();
  return { prediction: stored, replayed: true };
}

/**
 * The request body a stored row was saved from. Every field of the body is stored, so comparing this
 * with the new body compares the whole request; the `Record` type makes a new body field fail to
 * compile here until it is stored and compared too.
 */
function savedBody(stored: StoredPrediction): Record<keyof SavePredictionInput, unknown> {
  return {
    breed: stored.breed,
    confidence: stored.confidence,
    imageSha256: stored.imageSha256,
    modelVersion: stored.modelVersion,
    source: stored.source,
    topK: stored.topK?.map((t) => ({ breed: t.label, confidence: t.confidence, species: t.species })),
  };
}

/**
 * JSON with object keys sorted and undefined members left out: two bodies that parse to the same
 * values compare equal whatever their key order or spacing, so an identical retry always replays,
 * while any changed value (a topK entry, its order, its presence) is a different request.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : inner,
  );
}
