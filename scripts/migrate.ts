/**
 * npm run migrate: applies migrations/ to the configured database: DATABASE_URL (PostgreSQL) or the
 * embedded PGlite directory. Beanstalk runs it as a leader_only container command and Lambda as the
 * migrate function; concurrent runs are safe anyway (see runMigrations). Exits 1 with the reason.
 */
import { migratePostgres } from '../shared/adapters/store/pg-store.js';
import { openPgliteDatabase } from '../shared/adapters/store/pglite-database.js';
import { loadConfig } from '../shared/config.js';
import { type MigrationRunResult, runMigrations } from '../shared/migrations/run-migrations.js';

async function migrate(): Promise<{ target: string; result: MigrationRunResult }> {
  const config = loadConfig();
  const store = config.store;
  if (store.kind === 'pg') {
    const url = new URL(store.url);
    return {
      target: `PostgreSQL ${url.host}${url.pathname}`,
      result: await migratePostgres(store.url, config.migrationsDir),
    };
  }
  const db = await openPgliteDatabase(store.dataDir);
  try {
    return { target: `PGlite ${store.dataDir}`, result: await runMigrations(db, config.migrationsDir) };
  } finally {
    await db.close();
  }
}

try {
  const { target, result } = await migrate();
  for (const name of result.applied) console.log(`applied ${name}`);
  console.log(`${target}: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
} catch (error) {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
