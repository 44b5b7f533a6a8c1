import type {
  InsertResult,
  ListCursor,
  NewPrediction,
  PredictionStore,
  StoredPrediction,
} from '../../ports/prediction-store.js';
import type { SqlPredictionStore } from './sql-prediction-store.js';

/** A statement of at most this many rows: a burst larger than that goes as several, one after another. */
const MAX_ROWS = 100;

/**
 * What a save costs the database is its commit, which waits for the WAL to reach the disk, and a pool
 * of 10 connections holds at most 10 commits at a time, however many saves wait. So saves are written
 * one statement at a time: one that arrives while a statement is out goes, with every other that
 * arrived meanwhile, in the next one (one round trip and one commit for all of them). Alone, a save
 * goes at once, as before. Each keeps its own outcome: idempotency and ownership are the row's own
 * (user_id, idempotency_key), as with one statement each. For the pg pool of a long-running server,
 * where saves come concurrently; an abort signal is not passed on (the pg adapter takes none).
 */
export class BatchedInsertStore implements PredictionStore {
  readonly #waiting: { prediction: NewPrediction; settle(result: Promise<InsertResult>): void }[] = [];
  #writing = false;

  constructor(readonly inner: SqlPredictionStore) {}

  insert(prediction: NewPrediction): Promise<InsertResult> {
    return new Promise<Promise<InsertResult>>((settle) => {
      this.#waiting.push({ prediction, settle });
      if (!this.#writing) void this.#write();
    }).then((result) => result);
  }

  async #write(): Promise<void> {
    this.#writing = true;
    while (this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, MAX_ROWS);
      const results = await this.inner
        .insertMany(batch.map((w) => w.prediction))
        .catch((error: unknown) => batch.map(() => Promise.reject(error)));
      for (const [i, w] of batch.entries()) w.settle(results[i] as Promise<InsertResult>);
    }
    this.#writing = false;
  }

  findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<StoredPrediction | null> {
    return this.inner.findByIdempotencyKey(userId, idempotencyKey);
  }

  list(userId: string, limit: number, after: ListCursor | null): Promise<StoredPrediction[]> {
    return this.inner.list(userId, limit, after);
  }

  delete(userId: string, id: string): Promise<boolean> {
    return this.inner.delete(userId, id);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
