import { batchedInserts } from '../adapters/store/batched-inserts.js';
import { openDataApiStore } from '../adapters/store/data-api-store.js';
import { openPgStore, type PgPassword } from '../adapters/store/pg-store.js';
import { openPgliteStore } from '../adapters/store/pglite-store.js';
import {
  READ_OPERATIONS,
  RetryingStore,
  type RetryingStoreOptions,
} from '../adapters/store/retrying-store.js';
import type { SqlPredictionStore } from '../adapters/store/sql-prediction-store.js';
import type { Config } from '../config.js';
import { SchemaGate } from '../migrations/schema-gate.js';
import type { Logger } from '../ports/logger.js';
import type { PredictionStore } from '../ports/prediction-store.js';
import type { Secrets } from '../ports/secrets.js';
import { awsClientConfig } from './aws-client-config.js';
import { SECRET_NAMES } from './open-secrets.js';

export interface OpenedStore {
  store: PredictionStore;
  /** Readiness' view of the same database's schema. */
  schema: SchemaGate;
}

/**
 * The configured PredictionStore: PGlite locally, a pg Pool on Beanstalk, the Data API on Lambda. Each
 * is wrapped in a RetryingStore, so that an outage answers 503 STORE_UNAVAILABLE with Retry-After on
 * every path; what is tried again differs.
 */
export async function openStore(config: Config, secrets: Secrets, logger: Logger): Promise<OpenedStore> {
  const s = config.store;
  const migrationsDir = config.migrateOnStart ? config.migrationsDir : undefined;
  const opened = (
    sql: SqlPredictionStore,
    retry: Omit<RetryingStoreOptions, 'logger'>,
    store: PredictionStore = sql,
  ): OpenedStore => ({
    store: new RetryingStore(store, { logger, ...retry }),
    schema: new SchemaGate(sql.db, config.migrationsDir, logger),
  });
  if (s.kind === 'pglite') {
    const store = await openPgliteStore({ dataDir: s.dataDir, migrationsDir: config.migrationsDir });
    // In process: a closed PGlite does not come back.
    return opened(store, { maxAttempts: 1 });
  }
  if (s.kind === 'pg') {
    const password = s.passwordSecretId ? secretPassword(secrets) : undefined;
    const store = await openPgStore({
      connectionString: s.url,
      poolMax: s.poolMax,
      idleTimeoutMs: s.idleTimeoutMs,
      connectionTimeoutMs: s.connectTimeoutMs,
      statementTimeoutMs: s.statementTimeoutMs,
      queryTimeoutMs: s.queryTimeoutMs,
      logger,
      ...(password ? { password } : {}),
      ...(migrationsDir ? { migrationsDir } : {}),
    });
    // A read whose connection was lost (terminated, reset) is tried once more: the pool has discarded
    // that client, so the retry runs on another one. Only when it failed fast: one that already waited
    // out the query timeout would make the request wait twice. Writes are not retried: the client's
    // retry with its Idempotency-Key is what makes a save exactly-once.
    // Concurrent saves share a statement and its commit (batched-inserts.ts).
    return opened(
      store,
      { retried: READ_OPERATIONS, maxAttempts: 2, budgetMs: s.queryTimeoutMs },
      batchedInserts(store),
    );
  }
  const store = await openDataApiStore({
    resourceArn: s.resourceArn,
    secretArn: s.secretArn,
    database: s.database,
    clientOptions: awsClientConfig(s.region, s.endpoint),
    ...(migrationsDir ? { migrationsDir } : {}),
  });
  // Aurora Serverless v2 paused at zero capacity answers DatabaseResumingException for ~15 s. Every
  // operation is retried: a save carries an idempotency key, so a retried insert finds its first row.
  // The budget is also the deadline of the whole call, on every runtime: the SDK alone would wait 50 s
  // per attempt on a black-holed endpoint, three attempts, far past the 60 s after which Beanstalk's
  // nginx answers 504 (on Lambda, the request's own deadline may come first).
  const budgetMs = config.storeRetryBudgetMs;
  return opened(store, { budgetMs, deadlineMs: budgetMs });
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
