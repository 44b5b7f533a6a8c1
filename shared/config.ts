import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config/config-types.js';
import { envSchema } from './config/env-schema.js';
import {
  authConfig,
  ConfigError,
  cacheConfig,
  secretsConfig,
  storeConfig,
  storeKind,
} from './config/sections.js';

export type { CacheConfig, Config, SecretValue, StoreConfig } from './config/config-types.js';
export { ConfigError } from './config/sections.js';

/** The repository root, from which relative defaults (models/, migrations/, .data/) resolve. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Parses the environment once, at start-up, failing fast with the variable's name. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const fromRoot = (p: string) => path.resolve(projectRoot, p);
  const dataDir = fromRoot(e.DATA_DIR);
  const remoteModel = /^[a-z0-9]+:\/\//.test(e.MODEL_URI) || e.MODEL_URI === 'mobilenet';
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    dataDir,
    store: storeConfig(e, dataDir, fromRoot),
    storeRetryBudgetMs: e.STORE_RETRY_BUDGET_MS,
    cache: cacheConfig(e),
    cacheTtlSeconds: e.CACHE_TTL_SECONDS,
    cacheTimeoutMs: e.CACHE_TIMEOUT_MS,
    cacheLocalEntries: e.CACHE_LOCAL_ENTRIES,
    secrets: secretsConfig(e),
    model: {
      uri: remoteModel ? e.MODEL_URI : fromRoot(e.MODEL_URI),
      cacheDir: e.MODEL_CACHE_DIR ? fromRoot(e.MODEL_CACHE_DIR) : path.join(dataDir, 'models'),
      backend: e.TFJS_BACKEND,
      workers: e.MODEL_WORKERS ?? availableParallelism(),
    },
    limits: {
      maxImageBytes: e.MAX_IMAGE_BYTES,
      maxImagePixels: e.MAX_IMAGE_PIXELS,
      defaultTopK: e.DEFAULT_TOP_K,
      maxTopK: 10,
    },
    auth: authConfig(e, dataDir),
    trustAuthorizerClaims: e.JWT_TRUST_AUTHORIZER_CLAIMS === 'true',
    migrationsDir: fromRoot('migrations'),
    migrateOnStart: e.MIGRATE_ON_START ? e.MIGRATE_ON_START === 'true' : storeKind(e) === 'pglite',
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}
