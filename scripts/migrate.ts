/**
 * npm run migrate: applies migrations/ to DATABASE_URL (PostgreSQL), or else to the embedded PGlite
 * directory (PGLITE_DIR, default .data/pglite). Beanstalk runs it as a leader_only container
 * command; concurrent runs are safe anyway (see runMigrations). Exits 1 with the reason on failure.
 *
 * Environment is read here only until shared/config.ts centralises configuration.
 */
import { fileURLToPath } from 'node:url';
import { migratePostgres } from '../shared/adapters/store/pg-store.js';
import { openPgliteDatabase } from '../shared/adapters/store/pglite-database.js';
import { type MigrationRunResult, runMigrations } from '../shared/migrations/run-migrations.js';

const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url));

async function migrate(): Promise<{ target: string; result: MigrationRunResult }> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const target = `PostgreSQL ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}`;
    return { target, result: await migratePostgres(databaseUrl, migrationsDir) };
  }
  const dataDir = process.env.PGLITE_DIR || '.data/pglite';
  const db = await openPgliteDatabase(dataDir);
  try {
    return { target: `PGlite ${dataDir}`, result: await runMigrations(db, migrationsDir) };
  } finally {
    await db.close();
  }
}

try {
  const { target, result } = await migrate();
  for (const name of result.applied) console.log(`applied ${name}`);
  console.log(`${target}: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`migration failed: ${reason}`);
  process.exitCode = 1;
}
