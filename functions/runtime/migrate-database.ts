import { DataApiDatabase } from '../../shared/adapters/store/data-api-database.js';
import { DEFAULT_BACKOFF, fullJitterDelay } from '../../shared/adapters/store/retry-policy.js';
import { isStoreUnavailable } from '../../shared/adapters/store/store-unavailable.js';
import { awsClientConfig } from '../../shared/composition/aws-client-config.js';
import { type Config, ConfigError } from '../../shared/config.js';
import { type MigrationRunResult, runMigrations } from '../../shared/migrations/run-migrations.js';
import type { Logger } from '../../shared/ports/logger.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Applies pending migrations through the RDS Data API. A deploy can find Aurora Serverless paused at
 * zero capacity (DatabaseResumingException for ~15 s): the whole run is retried on such errors until
 * `deadline` (epoch ms), which is safe because each file is applied once, in its own transaction, under
 * the runner's advisory lock; a second run finds it applied and skips it.
 */
export async function migrateDatabase(
  config: Config,
  logger: Logger,
  deadline: number,
): Promise<MigrationRunResult> {
  const s = config.store;
  if (s.kind !== 'data-api') {
    throw new ConfigError('The migrate function works through the RDS Data API: set DATA_API_RESOURCE_ARN.');
  }
  const db = new DataApiDatabase({
    resourceArn: s.resourceArn,
    secretArn: s.secretArn,
    database: s.database,
    clientOptions: awsClientConfig(s.region, s.endpoint),
  });
  try {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await runMigrations(db, config.migrationsDir);
        logger.info({ ...result, database: s.database }, 'migrations done');
        return result;
      } catch (error) {
        const delayMs = fullJitterDelay(attempt, { ...DEFAULT_BACKOFF, maxDelayMs: 10_000 }, Math.random);
        if (!isStoreUnavailable(error) || Date.now() + delayMs > deadline) throw error;
        logger.warn({ err: error, attempt, delayMs }, 'migration attempt failed, retrying');
        await sleep(delayMs);
      }
    }
  } finally {
    await db.close();
  }
}
