import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pgDatabase } from '../../../shared/adapters/store/pg-database.js';
import { migratePostgres } from '../../../shared/adapters/store/pg-store.js';
import type { ClosableSqlDatabase } from '../../../shared/ports/sql-database.js';
import { type MigrationsFolder, migrationsFolder, readRealMigration } from '../../support/migrations.js';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../../support/services.js';
import { registerMigrationRunnerCases } from './migration-runner-contract.js';

const available = await postgresAvailable();

describe.skipIf(!available)('migration runner on PostgreSQL', () => {
  // One fresh database per case: the runner's first job is to create schema_migrations.
  const databases: TempDatabase[] = [];
  const fresh = async () => {
    const database = await createTempDatabase();
    databases.push(database);
    return database;
  };
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  describe('through a Pool', () => {
    registerMigrationRunnerCases(async () =>
      pgDatabase(new pg.Pool({ connectionString: (await fresh()).url, max: 4 })),
    );
  });

  describe('three separate runners racing on an empty database', () => {
    let folder: MigrationsFolder;
    let db: ClosableSqlDatabase;
    beforeAll(async () => {
      folder = await migrationsFolder({
        '0001_create_predictions.sql': await readRealMigration('0001_create_predictions.sql'),
        // Slow, and not repeatable: a second application would fail or duplicate the row.
        '0002_counter.sql': 'CREATE TABLE counter (n integer NOT NULL);\nSELECT pg_sleep(0.2);',
        '0003_fill.sql': 'INSERT INTO counter (n) VALUES (1);',
      });
    });
    afterEach(async () => {
      await db?.close();
    });
    afterAll(async () => {
      await folder?.remove();
    });

    it('all three resolve and each file is applied exactly once', async () => {
      const { url } = await fresh();
      const results = await Promise.all([1, 2, 3].map(() => migratePostgres(url, folder.dir)));
      const applied = results.flatMap((r) => r.applied);
      expect(applied.sort()).toEqual(['0001_create_predictions.sql', '0002_counter.sql', '0003_fill.sql']);
      for (const r of results) expect([...r.applied, ...r.alreadyApplied]).toHaveLength(3);
      db = pgDatabase(new pg.Pool({ connectionString: url, max: 1 }));
      const rows = await db.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
      expect(await db.query('SELECT n FROM counter')).toEqual([{ n: 1 }]);
    });
  });
});
