import { openDataApiStore } from '../adapters/store/data-api-store.js';
import { openPgStore, type PgPassword } from '../adapters/store/pg-store.js';
import { openPgliteStore } from '../adapters/store/pglite-store.js';
import { RetryingStore } from '../adapters/store/retrying-store.js';
import type { SqlPredictionStore } from '../adapters/store/sql-prediction-store.js';
import type { Config } from '../config.js';
import { SchemaGate } from '../migrations/schema-gate.js';
import type { Logger } from '../ports/logger.js';
import type { PredictionStore } from '../ports/prediction-store.js';
import type { Secrets } from '../ports/secrets.js';
import { awsClientConfig } from './aws-client-config.js';
import { SECRET_NAMES } from './open-secrets.js';

export interface StoreDeadline {
  /** Time left before the caller's own deadline (Lambda's remaining time); none on a server. */
  remainingTimeMs?: () => number;
}

export interface OpenedStore {
  store: PredictionStore;
  /** Readiness' view of the same database's schema. */
  schema: SchemaGate;
}

/** The configured PredictionStore: PGlite locally, a pg Pool on Beanstalk, the Data API on Lambda. */
export async function openStore(
  config: Config,
  secrets: Secrets,
  logger: Logger,
  deadline: StoreDeadline = {},
): Promise<OpenedStore> {
  const s = config.store;
  const migrationsDir = config.migrateOnStart ? config.migrationsDir : undefined;
  const withSchema = (store: PredictionStore, sql: SqlPredictionStore): OpenedStore => ({
    store,
    schema: new SchemaGate(sql.db, config.migrationsDir, logger),
  });
  if (s.kind === 'pglite') {
    const store = await openPgliteStore({ dataDir: s.dataDir, migrationsDir: config.migrationsDir });
    return withSchema(store, store);
  }
  if (s.kind === 'pg') {
    const password = s.passwordSecretId ? secretPassword(secrets) : undefined;
    const store = await openPgStore({
      connectionString: s.url,
      poolMax: s.poolMax,
      idleTimeoutMs: s.idleTimeoutMs,
      connectionTimeoutMs: s.connectTimeoutMs,
      logger,
      ...(password ? { password } : {}),
      ...(migrationsDir ? { migrationsDir } : {}),
    });
    return withSchema(store, store);
  }
  const store = await openDataApiStore({
    resourceArn: s.resourceArn,
    secretArn: s.secretArn,
    database: s.database,
    clientOptions: awsClientConfig(s.region, s.endpoint),
    ...(migrationsDir ? { migrationsDir } : {}),
  });
  // Aurora Serverless v2 paused at zero capacity answers DatabaseResumingException for ~15 s.
  const retrying = new RetryingStore(store, {
    logger,
    budgetMs: config.storeRetryBudgetMs,
    ...deadline,
  });
  return withSchema(retrying, store);
}

/**
 * The database password from the Secrets port, read for each new connection: the Secrets Manager
 * adapter caches it for SECRETS_CACHE_SECONDS and refetches it after a refused login, so a rotation
 * needs no restart. RDS-managed secrets are JSON with a `password` field; others are the password.
 */
export function secretPassword(secrets: Secrets): PgPassword {
  const name = SECRET_NAMES.databasePassword;
  return {
    current: async () => passwordOf(await secrets.get(name)),
    refresh: async () => passwordOf(await (secrets.refresh ? secrets.refresh(name) : secrets.get(name))),
  };
}

function passwordOf(raw: string): string {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && 'password' in parsed && typeof parsed.password === 'string') {
      return parsed.password;
    }
  } catch {
    // a plain-text secret is the password itself
  }
  return raw;
}
