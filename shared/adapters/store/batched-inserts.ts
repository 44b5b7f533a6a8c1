import type { InsertResult, NewPrediction, PredictionStore } from '../../ports/prediction-store.js';
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
export function batchedInserts(inner: SqlPredictionStore): PredictionStore {
  const waiting: { prediction: NewPrediction; settle(result: Promise<InsertResult>): void }[] = [];
  let writing = false;
  const write = async () => {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, MAX_ROWS);
      const results = await inner
        .insertMany(batch.map((w) => w.prediction))
        .catch((error: unknown) => batch.map(() => Promise.reject(error)));
      for (const [i, w] of batch.entries()) w.settle(results[i] as Promise<InsertResult>);
    }
    writing = false;
  };
  return {
    insert: (prediction) =>
      new Promise<Promise<InsertResult>>((settle) => {
        waiting.push({ prediction, settle });
        if (!writing) void write();
      }).then((result) => result),
    findByIdempotencyKey: (userId, key) => inner.findByIdempotencyKey(userId, key),
    list: (userId, limit, after) => inner.list(userId, limit, after),
    delete: (userId, id) => inner.delete(userId, id),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
