import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../../shared/migrations/run-migrations.js';
import {
  type DataApiEmulator,
  databaseNameOf,
  emulatorDatabase,
  startPgliteDataApi,
  startPostgresDataApi,
} from '../../support/data-api.js';
import { migrationsFolder, readRealMigration } from '../../support/migrations.js';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../../support/services.js';
import { registerMigrationRunnerCases } from './migration-runner-contract.js';

const available = await postgresAvailable();

/** Slow and not repeatable: applied twice, 0002 fails (table exists) and 0003 duplicates its row. */
const racingFiles = async () => ({
  '0001_create_predictions.sql': await readRealMigration('0001_create_predictions.sql'),
  '0002_counter.sql': 'CREATE TABLE counter (n integer NOT NULL);\nSELECT 1 AS slept FROM pg_sleep(0.2);',
  '0003_fill.sql': 'INSERT INTO counter (n) VALUES (1);',
});

describe.skipIf(!available)('migration runner through the Data API (emulator -> PostgreSQL)', () => {
  let emulator: DataApiEmulator;
  const databases: TempDatabase[] = [];
  const fresh = async () => {
    const database = await createTempDatabase();
    databases.push(database);
    return databaseNameOf(database.url);
  };
  beforeAll(async () => {
    emulator = await startPostgresDataApi();
  });
  afterAll(async () => {
    await emulator?.close();
    for (const database of databases) await database.drop();
  });

  describe('contract', () => {
    registerMigrationRunnerCases(async () => emulatorDatabase(emulator, await fresh()));
  });

  it('three runners with their own clients race on an empty database: each file is applied once', async () => {
    const folder = await migrationsFolder(await racingFiles());
    const name = await fresh();
    const runners = [1, 2, 3].map(() => emulatorDatabase(emulator, name));
    try {
      const results = await Promise.all(runners.map((db) => runMigrations(db, folder.dir)));
      expect(results.flatMap((r) => r.applied).sort()).toEqual([
        '0001_create_predictions.sql',
        '0002_counter.sql',
        '0003_fill.sql',
      ]);
      for (const r of results) expect([...r.applied, ...r.alreadyApplied]).toHaveLength(3);
      const [db] = runners;
      expect(await db?.query('SELECT n FROM counter')).toEqual([{ n: 1 }]);
      expect(emulator.openTransactions()).toBe(0);
    } finally {
      await Promise.all(runners.map((db) => db.close()));
      await folder.remove();
    }
  });
});

describe('migration runner through the Data API (emulator -> PGlite)', () => {
  let emulator: DataApiEmulator;
  beforeAll(async () => {
    emulator = await startPgliteDataApi();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  // Each database name is its own PGlite instance, so every case starts empty.
  registerMigrationRunnerCases(async () =>
    emulatorDatabase(emulator, `db_${randomBytes(4).toString('hex')}`),
  );
});
