import { openPgliteDatabase } from './pglite-database.js';
import { openMigratedStore, type SqlPredictionStore } from './sql-prediction-store.js';

export interface PgliteStoreOptions {
  /** A directory (created if missing; data survives restarts) or 'memory://' for tests. */
  dataDir: string;
  /** The migrations/ folder: the embedded default migrates itself on open, there is no deploy step. */
  migrationsDir: string;
}

/** The embedded default store (npm start, tests): PGlite, migrated on open. close() it when done. */
export async function openPgliteStore(options: PgliteStoreOptions): Promise<SqlPredictionStore> {
  return openMigratedStore(await openPgliteDatabase(options.dataDir), options.migrationsDir);
}
