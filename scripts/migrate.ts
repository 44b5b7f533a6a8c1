/**
 * npm run migrate: applies migrations/ to the configured database (PGlite, PostgreSQL, or the RDS
 * Data API). Beanstalk runs it as a leader_only container command and Lambda as the migrate
 * function; concurrent runs are safe anyway (see runMigrations). Exits 1 with the reason.
 */
import { DataApiDatabase } from '../shared/adapters/store/data-api-database.js';
import { migratePostgres } from '../shared/adapters/store/pg-store.js';
import { openPgliteDatabase } from '../shared/adapters/store/pglite-database.js';
import { awsClientConfig } from '../shared/composition/aws-client-config.js';
import { openSecrets } from '../shared/composition/open-secrets.js';
import { resolvePgUrl } from '../shared/composition/open-store.js';
import { loadConfig } from '../shared/config.js';
import { type MigrationRunResult, runMigrations } from '../shared/migrations/run-migrations.js';
import type { ClosableSqlDatabase } from '../shared/ports/sql-database.js';

async function migrate(): Promise<{ target: string; result: MigrationRunResult }> {
  const config = loadConfig();
  const store = config.store;
  if (store.kind === 'pg') {
    const secrets = await openSecrets(config);
    const url = new URL(store.url);
    const result = await migratePostgres(await resolvePgUrl(store, secrets), config.migrationsDir);
    secrets.close();
    return { target: `PostgreSQL ${url.host}${url.pathname}`, result };
  }
  let db: ClosableSqlDatabase;
  let target: string;
  if (store.kind === 'data-api') {
    const clientOptions = awsClientConfig(store.region, store.endpoint);
    db = new DataApiDatabase({ ...store, clientOptions });
    target = `Data API ${store.resourceArn} / ${store.database}`;
  } else {
    db = await openPgliteDatabase(store.dataDir);
    target = `PGlite ${store.dataDir}`;
  }
  try {
    return { target, result: await runMigrations(db, config.migrationsDir) };
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
