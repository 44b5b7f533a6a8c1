import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataApiStore } from '../../../../shared/adapters/store/data-api-store.js';
import {
  type DataApiEmulator,
  databaseNameOf,
  emulatorClientOptions,
  startPgliteDataApi,
  startPostgresDataApi,
  TEST_TARGET,
} from '../../../support/data-api.js';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../../../support/services.js';
import { prediction, registerStoreContract } from './store-contract.js';

const migrationsDir = fileURLToPath(new URL('../../../../migrations/', import.meta.url));
const available = await postgresAvailable();

describe.skipIf(!available)('Data API store: SDK -> emulator -> PostgreSQL', () => {
  let emulator: DataApiEmulator;
  let database: TempDatabase;
  beforeAll(async () => {
    database = await createTempDatabase();
    emulator = await startPostgresDataApi();
  });
  afterAll(async () => {
    await emulator?.close();
    await database?.drop();
  });

  describe('contract', () => {
    registerStoreContract(async () => {
      const store = await openDataApiStore({
        ...TEST_TARGET,
        database: databaseNameOf(database.url),
        clientOptions: emulatorClientOptions(emulator),
        migrationsDir,
      });
      return { store, sql: store.db };
    });
  });

  it('reads back the exact row shapes pg gives the row mapper (numbers, jsonb, null, text)', async () => {
    const store = await openDataApiStore({
      ...TEST_TARGET,
      database: databaseNameOf(database.url),
      clientOptions: emulatorClientOptions(emulator),
    });
    try {
      const input = prediction('shape-user', { confidence: 1, topK: null, idempotencyKey: 'shape' });
      const { prediction: row } = await store.insert(input);
      expect(row).toMatchObject({ confidence: 1, topK: null, idempotencyKey: 'shape' });
      const [raw] = await store.db.query(
        'SELECT confidence, top_k, CAST(2 AS bigint) AS big, true AS flag FROM predictions WHERE id = CAST($1 AS uuid)',
        [row.id],
      );
      expect(raw).toEqual({ confidence: 1, top_k: null, big: 2, flag: true });
    } finally {
      await store.close();
    }
  });
});

describe('Data API store: SDK -> emulator -> PGlite', () => {
  let emulator: DataApiEmulator;
  beforeAll(async () => {
    emulator = await startPgliteDataApi();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  describe('contract', () => {
    registerStoreContract(async () => {
      const store = await openDataApiStore({
        ...TEST_TARGET,
        database: 'contract',
        clientOptions: emulatorClientOptions(emulator),
        migrationsDir,
      });
      return { store, sql: store.db };
    });
  });
});
