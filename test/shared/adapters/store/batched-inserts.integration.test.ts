import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchedInserts } from '../../../../shared/adapters/store/batched-inserts.js';
import { openPgStore } from '../../../../shared/adapters/store/pg-store.js';
import { SqlPredictionStore } from '../../../../shared/adapters/store/sql-prediction-store.js';
import type { PredictionStore } from '../../../../shared/ports/prediction-store.js';
import type { ClosableSqlDatabase } from '../../../../shared/ports/sql-database.js';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../../../support/services.js';
import { prediction, registerStoreContract } from './store-contract.js';

const migrationsDir = fileURLToPath(new URL('../../../../migrations/', import.meta.url));
const available = await postgresAvailable();

/** The database, counting the INSERT statements that reach it. */
function counting(db: ClosableSqlDatabase) {
  const inserts: number[] = [];
  const wrapped: ClosableSqlDatabase = {
    ...db,
    query(sql, params) {
      if (sql.startsWith('INSERT')) inserts.push((params?.length ?? 0) / 9);
      return db.query(sql, params);
    },
  };
  return { db: wrapped, inserts };
}

describe.skipIf(!available)('batched inserts (real PostgreSQL)', () => {
  let database: TempDatabase;
  let pg: SqlPredictionStore;
  let inserts: number[];
  let store: PredictionStore;
  const rowsOf = async (userId: string) =>
    (await pg.db.query('SELECT id FROM predictions WHERE user_id = $1', [userId])).length;

  beforeAll(async () => {
    database = await createTempDatabase();
    pg = await openPgStore({ connectionString: database.url, migrationsDir, poolMax: 5 });
    const db = counting(pg.db);
    inserts = db.inserts;
    store = batchedInserts(new SqlPredictionStore(db.db));
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  describe('contract', () => {
    registerStoreContract(async () => {
      const opened = await openPgStore({ connectionString: database.url, poolMax: 5 });
      return { store: batchedInserts(opened), sql: opened.db };
    });
  });

  it('writes saves that arrive together in fewer statements than saves, each its own row', async () => {
    const userId = `user-${randomUUID()}`;
    inserts.length = 0;
    const saves = Array.from({ length: 20 }, (_, i) =>
      store.insert(prediction(userId, { idempotencyKey: `k${i}`, confidence: i / 20 })),
    );
    const results = await Promise.all(saves);
    expect(results.every((r) => r.created)).toBe(true);
    expect(results.map((r) => r.prediction.confidence)).toEqual(Array.from({ length: 20 }, (_, i) => i / 20));
    expect(new Set(results.map((r) => r.prediction.id)).size).toBe(20);
    expect(await rowsOf(userId)).toBe(20);
    // The first four alone, the 16 that came while those were out together.
    expect(inserts).toEqual([1, 1, 1, 1, 16]);
  });

  it('gives saves of one idempotency key in one statement one row: the first creates it, the others get it', async () => {
    const userId = `user-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => store.insert(prediction(userId, { idempotencyKey: 'same' }))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.prediction.id)).size).toBe(1);
    expect(await rowsOf(userId)).toBe(1);
  });

  it('fails only the save whose row the database refuses; the others in its statement are written', async () => {
    const userId = `user-${randomUUID()}`;
    const outcomes = await Promise.allSettled([
      store.insert(prediction(userId, { idempotencyKey: 'first' })),
      store.insert(prediction(userId, { idempotencyKey: 'ok' })),
      // predictions_confidence_range: a save the API would have refused, refused here by the database.
      store.insert(prediction(userId, { idempotencyKey: 'bad', confidence: 2 })),
      store.insert(prediction(userId, { idempotencyKey: 'also ok' })),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[2]).toMatchObject({ reason: { code: '23514' } });
    expect(await rowsOf(userId)).toBe(3);
  });
});
