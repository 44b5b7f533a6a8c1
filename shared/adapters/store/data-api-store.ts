import { DataApiDatabase, type DataApiDatabaseOptions } from './data-api-database.js';
import { openMigratedStore, type SqlPredictionStore } from './sql-prediction-store.js';

export interface DataApiStoreOptions extends DataApiDatabaseOptions {
  /**
   * When given, migrations run first, through the Data API itself (transactions + advisory xact
   * lock, so concurrent cold starts apply each file once). Each statement is subject to the Data
   * API's 45 s limit: a longer DDL belongs in a deploy-time `npm run migrate` over a direct connection.
   */
  migrationsDir?: string;
}

/** PredictionStore over the RDS Data API (Lambda). Wrap it in RetryingStore for Aurora's pauses. */
export async function openDataApiStore(options: DataApiStoreOptions): Promise<SqlPredictionStore> {
  return openMigratedStore(new DataApiDatabase(options), options.migrationsDir);
}
