import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openPgliteStore } from '../../../../shared/adapters/store/pglite-store.js';
import { StoreConnectionError } from '../../../../shared/adapters/store/store-unavailable.js';
import { prediction, registerStoreContract } from './store-contract.js';

const migrationsDir = fileURLToPath(new URL('../../../../migrations/', import.meta.url));

describe('PGlite store (memory://)', () => {
  registerStoreContract(async () => {
    const store = await openPgliteStore({ dataDir: 'memory://', migrationsDir });
    return { store, sql: store.db };
  });
});

describe('PGlite store once closed', () => {
  it('fails every call with a StoreConnectionError, queries and transactions alike', async () => {
    const store = await openPgliteStore({ dataDir: 'memory://', migrationsDir });
    await store.close();
    await expect(store.list('closed-user', 10, null)).rejects.toBeInstanceOf(StoreConnectionError);
    await expect(store.db.transaction(async () => undefined)).rejects.toBeInstanceOf(StoreConnectionError);
  });
});

describe('PGlite store on disk', () => {
  it('keeps rows across close and reopen, without re-applying migrations', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pettracker-pglite-'));
    try {
      const dataDir = join(dir, 'nested', 'pglite'); // parents are created too
      const first = await openPgliteStore({ dataDir, migrationsDir });
      const { prediction: row } = await first.insert(prediction('restart-user', { idempotencyKey: 'once' }));
      await first.close();

      const second = await openPgliteStore({ dataDir, migrationsDir });
      try {
        expect(await second.list('restart-user', 10, null)).toEqual([row]);
        const again = await second.insert(prediction('restart-user', { idempotencyKey: 'once' }));
        expect(again).toEqual({ prediction: row, created: false });
        const applied = await second.db.query('SELECT version FROM schema_migrations');
        expect(applied).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
