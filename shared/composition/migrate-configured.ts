import { DataApiDatabase } from '../adapters/store/data-api-database.js';
import { migratePostgres } from '../adapters/store/pg-store.js';
import { openPgliteDatabase } from '../adapters/store/pglite-database.js';
import type { Config } from '../config.js';
import { type MigrationRunResult, runMigrations } from '../migrations/run-migrations.js';
import type { ClosableSqlDatabase } from '../ports/sql-database.js';
import { awsClientConfig } from './aws-client-config.js';
import { openSecrets } from './open-secrets.js';
import { secretPassword } from './open-store.js';

export interface MigrateOutcome {
  /** The database, named for people (never with its password). */
  target: string;
  result: MigrationRunResult;
}

/**
 * Applies migrations/ to the configured database: PGlite, PostgreSQL (password from Secrets Manager
 * when configured) or the RDS Data API. Shared by `npm run migrate`, `pettracker migrate` and the
 * Beanstalk bundle's migrate entry.
 */
export async function migrateConfiguredDatabase(config: Config): Promise<MigrateOutcome> {
  const store = config.store;
  if (store.kind === 'pg') {
    const secrets = await openSecrets(config);
    const url = new URL(store.url);
    try {
      const password = store.passwordSecretId ? secretPassword(secrets) : undefined;
      const result = await migratePostgres(store.url, config.migrationsDir, password);
      return { target: `PostgreSQL ${url.host}${url.pathname}`, result };
    } finally {
      secrets.close();
    }
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
