import { openDataApiStore } from '../adapters/store/data-api-store.js';
import { openPgStore } from '../adapters/store/pg-store.js';
import { openPgliteStore } from '../adapters/store/pglite-store.js';
import { RetryingStore, type RetryingStoreOptions } from '../adapters/store/retrying-store.js';
import type { Config, StoreConfig } from '../config.js';
import type { Logger } from '../ports/logger.js';
import type { PredictionStore } from '../ports/prediction-store.js';
import type { Secrets } from '../ports/secrets.js';
import { awsClientConfig } from './aws-client-config.js';
import { SECRET_NAMES } from './open-secrets.js';

export interface StoreDeadline {
  /** Time left before the caller's own deadline (Lambda's remaining time); none on a server. */
  remainingTimeMs?: () => number;
}

/** The configured PredictionStore: PGlite locally, a pg Pool on Beanstalk, the Data API on Lambda. */
export async function openStore(
  config: Config,
  secrets: Secrets,
  logger: Logger,
  deadline: StoreDeadline = {},
  onRetry?: RetryingStoreOptions['onRetry'],
): Promise<PredictionStore> {
  const s = config.store;
  const migrationsDir = config.migrateOnStart ? config.migrationsDir : undefined;
  if (s.kind === 'pglite')
    return openPgliteStore({ dataDir: s.dataDir, migrationsDir: config.migrationsDir });
  if (s.kind === 'pg') {
    return openPgStore({
      connectionString: await resolvePgUrl(s, secrets),
      poolMax: s.poolMax,
      idleTimeoutMs: s.idleTimeoutMs,
      connectionTimeoutMs: s.connectTimeoutMs,
      logger,
      ...(migrationsDir ? { migrationsDir } : {}),
    });
  }
  const store = await openDataApiStore({
    resourceArn: s.resourceArn,
    secretArn: s.secretArn,
    database: s.database,
    clientOptions: awsClientConfig(s.region, s.endpoint),
    ...(migrationsDir ? { migrationsDir } : {}),
  });
  // Aurora Serverless v2 paused at zero capacity answers DatabaseResumingException for ~15 s.
  return new RetryingStore(store, { logger, budgetMs: config.storeRetryBudgetMs, ...deadline, onRetry });
}

/**
 * DATABASE_URL names host, user and database; the password comes from Secrets Manager when
 * DATABASE_PASSWORD_SECRET_ID is set. RDS-managed secrets are JSON with a `password` field.
 */
export async function resolvePgUrl(
  s: Extract<StoreConfig, { kind: 'pg' }>,
  secrets: Secrets,
): Promise<string> {
  if (!s.passwordSecretId) return s.url;
  const raw = await secrets.get(SECRET_NAMES.databasePassword);
  let password = raw;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && 'password' in parsed && typeof parsed.password === 'string') {
      password = parsed.password;
    }
  } catch {
    // a plain-text secret is the password itself
  }
  const url = new URL(s.url);
  url.password = password;
  return url.toString();
}
