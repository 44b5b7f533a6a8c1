import type { BreedScore } from '../../ports/model.js';
import type { NewPrediction, PredictionSource, StoredPrediction } from '../../ports/prediction-store.js';
import type { SqlParam, SqlRow } from '../../ports/sql-database.js';

/** Params for INSERT_PREDICTION, in its $1..$9 order. top_k travels as JSON text: pg would turn a JS array into a PostgreSQL array. */
export function insertParams(id: string, p: NewPrediction): SqlParam[] {
  const topK = p.topK === null ? null : JSON.stringify(p.topK);
  return [
    id,
    p.userId,
    p.imageSha256,
    p.modelVersion,
    p.breed,
    p.confidence,
    topK,
    p.source,
    p.idempotencyKey,
  ];
}

/** Maps a row of the shared column list. jsonb arrives parsed from pg and PGlite, as text from the Data API. */
export function toStoredPrediction(row: SqlRow): StoredPrediction {
  const topK = typeof row.top_k === 'string' ? (JSON.parse(row.top_k) as BreedScore[]) : row.top_k;
  return {
    id: String(row.id),
    userId: String(row.user_id),
    imageSha256: String(row.image_sha256),
    modelVersion: String(row.model_version),
    breed: String(row.breed),
    confidence: Number(row.confidence),
    topK: (topK ?? null) as BreedScore[] | null,
    source: row.source as PredictionSource,
    idempotencyKey: row.idempotency_key == null ? null : String(row.idempotency_key),
    createdAt: String(row.created_at),
  };
}
