import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgDatabase } from '../../../shared/adapters/store/pg-database.js';
import { migratePostgres } from '../../../shared/adapters/store/pg-store.js';
import { openPgliteDatabase } from '../../../shared/adapters/store/pglite-database.js';
import { AppError } from '../../../shared/errors.js';
import { readMigrationFiles } from '../../../shared/migrations/migration-files.js';
import { runMigrations } from '../../../shared/migrations/run-migrations.js';
import { SchemaGate } from '../../../shared/migrations/schema-gate.js';
import { silentLogger } from '../../../shared/observability/logger.js';
import type { ClosableSqlDatabase, SqlDatabase } from '../../../shared/ports/sql-database.js';
import { capturingLogger } from '../../support/capturing-logger.js';
import {
  type DataApiEmulator,
  databaseNameOf,
  emulatorDatabase,
  startPostgresDataApi,
} from '../../support/data-api.js';
import { MIGRATIONS_DIR, type MigrationsFolder, migrationsFolder } from '../../support/migrations.js';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../../support/services.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const available = await postgresAvailable();
const requireServices = process.env.PETTRACKER_REQUIRE_SERVICES === '1';
if (requireServices && !available) throw new Error('PETTRACKER_REQUIRE_SERVICES=1 but PostgreSQL is down');

/** Counts the statements the gate sends, to show a ready gate costs none. */
function counting(db: SqlDatabase) {
  const counter = { queries: 0 };
  const wrapped: SqlDatabase = {
    query: (sql, params) => {
      counter.queries += 1;
      return db.query(sql, params);
    },
    transaction: (fn) => db.transaction(fn),
  };
  return { db: wrapped, counter };
}

async function expectNotReady(gate: SchemaGate): Promise<void> {
  const error = await gate.assertCurrent().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ status: 503, code: 'NOT_READY' });
}

async function copyOf(dir: string): Promise<MigrationsFolder> {
  const copy = await migrationsFolder({});
  for (const file of await readMigrationFiles(dir)) {
    await copy.write(file.name, await readFile(join(dir, file.name), 'utf8'));
  }
  return copy;
}

/** The same cases on every SqlDatabase adapter: pg Pool, PGlite, the RDS Data API (emulator over PostgreSQL). */
function registerSchemaGateCases(open: () => Promise<ClosableSqlDatabase>) {
  let folder: MigrationsFolder;
  const opened: ClosableSqlDatabase[] = [];
  const fresh = async () => {
    const db = await open();
    opened.push(db);
    return db;
  };
  beforeAll(async () => {
    // The migrations this code ships, whatever they are by now.
    folder = await copyOf(MIGRATIONS_DIR);
  });
  afterAll(async () => {
    for (const db of opened) await db.close();
    await folder?.remove();
  });

  it('is not ready on an empty database, then ready once migrated, and then costs no statement', async () => {
    const raw = await fresh();
    const { db, counter } = counting(raw);
    const { logger, warnings } = capturingLogger();
    const gate = new SchemaGate(db, folder.dir, logger);
    await expectNotReady(gate);
    expect(warnings[0]?.obj.reason).toMatch(/schema_migrations does not exist/);
    await runMigrations(raw, folder.dir);
    await gate.assertCurrent();
    const after = counter.queries;
    await gate.assertCurrent();
    await gate.assertCurrent();
    expect(counter.queries).toBe(after);
  });

  it('derives the expected version from the folder: a new file not yet applied keeps it not ready', async () => {
    const db = await fresh();
    await runMigrations(db, folder.dir);
    const next = await copyOf(folder.dir);
    try {
      await next.write(
        '9999_add_note.sql',
        'ALTER TABLE predictions ADD COLUMN readiness_test_note text NULL;',
      );
      const { logger, warnings } = capturingLogger();
      const gate = new SchemaGate(db, next.dir, logger);
      await expectNotReady(gate);
      expect(warnings.at(-1)?.obj.reason).toBe('not applied: 9999_add_note.sql');
      await runMigrations(db, next.dir);
      await gate.assertCurrent();
      // The older release's gate (folder without 9999) stays ready on the newer schema.
      await new SchemaGate(db, folder.dir, silentLogger()).assertCurrent();
    } finally {
      await next.remove();
    }
  });

  it('is not ready when an applied migration was edited afterwards', async () => {
    const db = await fresh();
    const edited = await migrationsFolder({ '0001_t.sql': 'CREATE TABLE t (n integer);' });
    try {
      await runMigrations(db, edited.dir);
      await edited.write('0001_t.sql', 'CREATE TABLE t (n bigint);');
      const { logger, warnings } = capturingLogger();
      await expectNotReady(new SchemaGate(db, edited.dir, logger));
      expect(warnings.at(-1)?.obj.reason).toBe('applied with another checksum: 0001_t.sql');
    } finally {
      await edited.remove();
    }
  });

  it('warns at most once a minute while the reason stays the same', async () => {
    const db = await fresh();
    let clock = 0;
    const { logger, warnings } = capturingLogger();
    const gate = new SchemaGate(db, folder.dir, logger, { now: () => clock });
    for (const at of [0, 1_000, 59_999]) {
      clock = at;
      await expectNotReady(gate);
    }
    expect(warnings).toHaveLength(1);
    clock = 60_000;
    await expectNotReady(gate);
    expect(warnings).toHaveLength(2);
  });
}

describe('schema readiness on PGlite', () => {
  registerSchemaGateCases(() => openPgliteDatabase('memory://'));
});

describe.skipIf(!available)('schema readiness on PostgreSQL (pg Pool)', () => {
  const databases: TempDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });
  registerSchemaGateCases(async () => {
    const database = await createTempDatabase();
    databases.push(database);
    return pgDatabase(new pg.Pool({ connectionString: database.url, max: 2 }));
  });
});

describe.skipIf(!available)('schema readiness through the RDS Data API (emulator on PostgreSQL)', () => {
  const databases: TempDatabase[] = [];
  let emulator: DataApiEmulator;
  beforeAll(async () => {
    emulator = await startPostgresDataApi();
  });
  afterAll(async () => {
    await emulator?.close();
    for (const database of databases) await database.drop();
  });
  registerSchemaGateCases(async () => {
    const database = await createTempDatabase();
    databases.push(database);
    return emulatorDatabase(emulator, databaseNameOf(database.url));
  });
});

describe.skipIf(!available)('GET /ready on the real PostgreSQL (Express, STORE=pg)', () => {
  let database: TempDatabase;
  let app: TestApp;
  const { logger, warnings } = capturingLogger();
  beforeAll(async () => {
    database = await createTempDatabase();
    app = await startTestApp(
      { STORE: 'pg', DATABASE_URL: database.url, MIGRATE_ON_START: 'false' },
      { logger },
    );
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('answers 503 NOT_READY on an empty database, says why only in the log, and 200 after migrate', async () => {
    const before = await fetch(`${app.url}/ready`);
    expect(before.status).toBe(503);
    const body = (await before.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('NOT_READY');
    expect(JSON.stringify(body)).not.toMatch(/migration|schema|0001/i);
    expect(before.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(warnings.some((w) => /does not exist/.test(String(w.obj.reason)))).toBe(true);

    await migratePostgres(database.url, MIGRATIONS_DIR);
    const after = await fetch(`${app.url}/ready`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ status: 'ready' });
  });
});
