import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgStore } from '../../shared/adapters/store/pg-store.js';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../support/services.js';
import { registerStoreContract } from './store-contract.js';

const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));
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
      const started = Date.now();
      // 57014 query_canceled: the server enforced the timeout, not the client.
      await expect(store.db.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await store.close();
    }
  });

  it('ping rejects quickly when the server cannot be reached', async () => {
    const store = await openPgStore({
      connectionString: 'postgres://root@127.0.0.1:1/none',
      connectionTimeoutMs: 500,
    });
    try {
      await expect(store.ping()).rejects.toThrow();
    } finally {
      await store.close();
    }
  });
});
