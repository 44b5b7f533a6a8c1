import type { BreedScore } from './model.js';

export type PredictionSource = 'model' | 'user-corrected';

export interface NewPrediction {
  userId: string;
  imageSha256: string;
  modelVersion: string;
  breed: string;
  confidence: number;
  topK: BreedScore[] | null;
  source: PredictionSource;
  /** Unique per user: a retried save with the same key returns the first row. */
  idempotencyKey: string | null;
}

export interface StoredPrediction {
  id: string;
  userId: string;
  imageSha256: string;
  modelVersion: string;
  breed: string;
  confidence: number;
  topK: BreedScore[] | null;
  source: PredictionSource;
  idempotencyKey: string | null;
  /** ISO 8601 in UTC with the database's full microsecond precision, so it can serve as a cursor. */
  createdAt: string;
}

/** Position after which a page starts: rows strictly older than (createdAt, id). */
export interface ListCursor {
  createdAt: string;
  id: string;
}

export interface InsertResult {
  prediction: StoredPrediction;
  /** false when an earlier row with the same (userId, idempotencyKey) was returned instead. */
  created: boolean;
}

/** What one request asks of a store's calls. */
export interface StoreScope {
  /** Aborted when the request's answer is due: stop waiting, answer STORE_UNAVAILABLE. */
  signal?: AbortSignal | undefined;
  /** Called before each retry (the request's StoreRetry count). */
  onRetry?: () => void;
  /** On the store's log lines (the request's ids). */
  logFields?: Readonly<Record<string, string>>;
}

/**
 * The user's prediction history in the externally owned PostgreSQL. `signal`: the caller has stopped
 * waiting; an adapter that can stop the call's network request does (the Data API's), the others end
 * on their own timeouts.
 */
export interface PredictionStore {
  /** Inserts, or returns the existing row for (userId, idempotencyKey); safe under concurrent calls. */
  insert(prediction: NewPrediction, signal?: AbortSignal): Promise<InsertResult>;
  /** The row an earlier save by this user with this Idempotency-Key created, or null. */
  findByIdempotencyKey(
    userId: string,
    idempotencyKey: string,
    signal?: AbortSignal,
  ): Promise<StoredPrediction | null>;
  /** The user's rows, newest first (created_at desc, id desc), at most `limit`. */
  list(
    userId: string,
    limit: number,
    after: ListCursor | null,
    signal?: AbortSignal,
  ): Promise<StoredPrediction[]>;
  /** The user's own row with this id; null when no such row belongs to the user (or the id is no uuid). */
  get(userId: string, id: string, signal?: AbortSignal): Promise<StoredPrediction | null>;
  /** Deletes the user's own row; false when no such row belongs to the user. */
  delete(userId: string, id: string, signal?: AbortSignal): Promise<boolean>;
  /** Throws when the database cannot be reached. */
  ping(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
  /** The same store as one request sees it; only a store that retries or waits needs one. */
  forRequest?(scope: StoreScope): PredictionStore;
}
