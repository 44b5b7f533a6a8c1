import type { InsertResult, NewPrediction, PredictionStore } from '../../ports/prediction-store.js';
import type { SqlPredictionStore } from './sql-prediction-store.js';

/** A statement of at most this many rows: a burst larger than that goes as several. */
const MAX_ROWS = 100;
/**
 * Statements out at once. More than one, so that one slow statement (a backend the database host
 * did not schedule, a page read from disk) does not hold every save behind it.
 */
const MAX_STATEMENTS = 4;

/**
 * What a save costs the database is mostly its commit, which waits for the WAL to reach the disk, and
 * a statement of its own per save also costs the database a parse, a plan and a wake-up each. So while
 * MAX_STATEMENTS saves are being written, one that arrives waits and goes with every other that
 * arrived meanwhile in the next statement: one round trip and one commit for all of them. Under light
 * load a save goes at once, as before. Each keeps its own outcome: idempotency and ownership are the
 * row's own (user_id, idempotency_key), as with one statement each. For the pg pool of a long-running
 * server, where saves come concurrently; an abort signal is not passed on (the pg adapter takes none).
 */
export function batchedInserts(inner: SqlPredictionStore): PredictionStore {
  const waiting: { prediction: NewPrediction; settle(result: Promise<InsertResult>): void }[] = [];
  let writers = 0;
  const write = async () => {
    writers += 1;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, MAX_ROWS);
      const results = await inner
        .insertMany(batch.map((w) => w.prediction))
        .catch((error: unknown) => batch.map(() => Promise.reject(error)));
      for (const [i, w] of batch.entries()) w.settle(results[i] as Promise<InsertResult>);
    }
    writers -= 1;
  };
  return {
    insert: (prediction) =>
      new Promise<Promise<InsertResult>>((settle) => {
        waiting.push({ prediction, settle });
        if (writers < MAX_STATEMENTS) void write();
      }).then((result) => result),
    findByIdempotencyKey: (userId, key) => inner.findByIdempotencyKey(userId, key),
    list: (userId, limit, after) => inner.list(userId, limit, after),
    get: (userId, id) => inner.get(userId, id),
    delete: (userId, id) => inner.delete(userId, id),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
