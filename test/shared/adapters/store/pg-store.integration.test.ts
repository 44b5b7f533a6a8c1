import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgStore } from '../../../../shared/adapters/store/pg-store.js';
import { LIST_FIRST_PAGE, LIST_PAGE_AFTER } from '../../../../shared/adapters/store/prediction-sql.js';
import { StoreConnectionError } from '../../../../shared/adapters/store/store-unavailable.js';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../../../support/services.js';
import { startTcpProxy } from '../../../support/tcp-proxy.js';
import { registerStoreContract } from './store-contract.js';

const migrationsDir = fileURLToPath(new URL('../../../../migrations/', import.meta.url));
const available = await postgresAvailable();

describe.skipIf(!available)('pg store (real PostgreSQL)', () => {
  let database: TempDatabase;
  beforeAll(async () => {
    database = await createTempDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  describe('contract', () => {
    registerStoreContract(async () => {
      const store = await openPgStore({ connectionString: database.url, migrationsDir, poolMax: 5 });
      return { store, sql: store.db };
    });
  });

  it('cancels statements that run longer than statementTimeoutMs', async () => {
    const store = await openPgStore({ connectionString: database.url, statementTimeoutMs: 200 });
    try {
      // 57014 query_canceled: the server enforced the timeout, not the client; without it the sleep
      // would end and the query succeed, so no clock needs reading.
      await expect(store.db.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
    } finally {
      await store.close();
    }
  });

  it("lists a page from the (user_id, created_at, id) index, without sorting the user's rows", async () => {
    const store = await openPgStore({ connectionString: database.url, migrationsDir });
    try {
      await store.db.query(`INSERT INTO predictions (id, user_id, image_sha256, model_version, breed, confidence, source)
        SELECT gen_random_uuid(), 'plan-user', repeat('a', 64), 'v', 'Pug', 0.5, 'model' FROM generate_series(1, 5000)`);
      await store.db.query('ANALYZE predictions');
      const after = ['2030-01-01T00:00:00.000000Z', '00000000-0000-4000-8000-000000000000'];
      for (const [sql, params] of [
        [LIST_FIRST_PAGE, ['plan-user', 21]],
        [LIST_PAGE_AFTER, ['plan-user', 21, ...after]],
      ] as const) {
        const plan = await store.db.query(`EXPLAIN ${sql}`, [...params]);
        const text = plan.map((row) => String(Object.values(row)[0])).join('\n');
        expect(text).toContain('predictions_user_created_idx');
        expect(text).not.toMatch(/\bSort\b/);
      }
    } finally {
      await store.close();
    }
  });

  it('prepares a statement once per connection, and it still answers after a migration adds a column', async () => {
    const store = await openPgStore({ connectionString: database.url, migrationsDir, poolMax: 1 });
    const save = (idempotencyKey: string) =>
      store.insert({
        ...{ userId: 'prepared-user', imageSha256: 'a'.repeat(64), modelVersion: 'v', breed: 'Pug' },
        ...{ confidence: 0.5, topK: null, source: 'model', idempotencyKey },
      });
    try {
      await save('k1');
      await save('k2');
      // One connection (poolMax 1): this session's prepared statements are the store's.
      const prepared = await store.db.query(
        `SELECT statement FROM pg_prepared_statements WHERE name LIKE 'pettracker%'`,
      );
      expect(prepared.map((row) => String(row.statement))).toEqual([
        expect.stringContaining('INSERT INTO predictions'),
      ]);
      // An expand migration of a later release: the statements name their columns, so their results keep their shape.
      await store.db.query('ALTER TABLE predictions ADD COLUMN prepared_probe text');
      try {
        await expect(save('k3')).resolves.toMatchObject({ created: true });
        expect((await store.list('prepared-user', 5, null)).map((p) => p.idempotencyKey)).toEqual([
          'k3',
          'k2',
          'k1',
        ]);
      } finally {
        await store.db.query('ALTER TABLE predictions DROP COLUMN prepared_probe');
      }
    } finally {
      await store.close();
    }
  });

  it('ping rejects with a StoreConnectionError when the server cannot be reached', async () => {
    const store = await openPgStore({
      connectionString: 'postgres://root@127.0.0.1:1/none',
      connectionTimeoutMs: 500,
    });
    try {
      const error = await store.ping().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreConnectionError);
      expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await store.close();
    }
  });

  it("passes the server's own errors on as they are, SQLSTATE and all", async () => {
    const store = await openPgStore({ connectionString: database.url });
    try {
      await expect(store.db.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
      await expect(store.db.query('SELECT * FROM no_such_table')).rejects.not.toBeInstanceOf(
        StoreConnectionError,
      );
    } finally {
      await store.close();
    }
  });

  it('fails a query with no answer after queryTimeoutMs: a black-holed network cannot hang it', async () => {
    const target = new URL(database.url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const store = await openPgStore({
      connectionString: proxy.through(database.url),
      connectionTimeoutMs: 500,
      queryTimeoutMs: 500,
    });
    try {
      await store.ping();
      proxy.stall();
      // The pooled connection's query meets the query timeout; a new one, the connection timeout.
      await expect(store.ping()).rejects.toBeInstanceOf(StoreConnectionError);
      await expect(Promise.all([store.ping(), store.ping()])).rejects.toBeInstanceOf(StoreConnectionError);
    } finally {
      await store.close();
      await proxy.close();
    }
  });
});
