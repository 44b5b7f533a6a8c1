import { withFailOpen } from './adapters/cache/fail-open-cache.js';
import { createMemoryCache } from './adapters/cache/memory-cache.js';
import { createRedisCache } from './adapters/cache/redis-cache.js';
import { loadOrCreateDevKeys } from './adapters/identity/dev-keys.js';
import { jwtIdentity, remoteJwks } from './adapters/identity/jwt-identity.js';
import { logDownloadProgress } from './adapters/model/model-download.js';
import { loadTfjsModel } from './adapters/model/tfjs-model.js';
import { openPgStore } from './adapters/store/pg-store.js';
import { openPgliteStore } from './adapters/store/pglite-store.js';
import type { Config } from './config.js';
import type { Core } from './core.js';
import { ModelSlot } from './model-slot.js';
import type { Cache } from './ports/cache.js';
import type { Identity } from './ports/identity.js';
import type { Logger } from './ports/logger.js';
import type { PredictionStore } from './ports/prediction-store.js';

export interface Runtime {
  core: Core;
  /** Resolves once the model is loaded and warmed up (then /ready turns 200); rejects if it cannot load. */
  modelReady: Promise<void>;
  close(): Promise<void>;
}

/** The composition root: configuration in, the core with its adapters out. */
export async function composeRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const store = await openStore(config, logger);
  const cache = withFailOpen(openCache(config), { logger, timeoutMs: config.cacheTimeoutMs });
  const identity = await openIdentity(config);
  const model = new ModelSlot();
  const modelReady = loadTfjsModel({
    uri: config.model.uri,
    cacheDir: config.model.cacheDir,
    backend: config.model.backend,
    maxPixels: config.limits.maxImagePixels,
    onProgress: logDownloadProgress(logger),
    logger,
  }).then((loaded) => model.set(loaded));
  // Observed here so an early failure is not an unhandled rejection; callers still see it.
  modelReady.catch((err: unknown) => logger.error({ err }, 'model failed to load'));
  const core: Core = {
    store,
    cache,
    model,
    identity,
    logger,
    limits: config.limits,
    cacheTtlSeconds: config.cacheTtlSeconds,
  };
  return {
    core,
    modelReady,
    async close() {
      await modelReady.catch(() => undefined);
      await Promise.allSettled([store.close(), cache.close(), model.peek()?.dispose()]);
    },
  };
}

function openStore(config: Config, logger: Logger): Promise<PredictionStore> {
  const s = config.store;
  if (s.kind === 'pglite')
    return openPgliteStore({ dataDir: s.dataDir, migrationsDir: config.migrationsDir });
  return openPgStore({
    connectionString: s.url,
    poolMax: s.poolMax,
    idleTimeoutMs: s.idleTimeoutMs,
    connectionTimeoutMs: s.connectTimeoutMs,
    logger,
    ...(config.migrateOnStart ? { migrationsDir: config.migrationsDir } : {}),
  });
}

function openCache(config: Config): Cache {
  const c = config.cache;
  return c.kind === 'memory'
    ? createMemoryCache({ maxEntries: c.maxEntries })
    : createRedisCache({ url: c.url });
}

async function openIdentity(config: Config): Promise<Identity> {
  const a = config.auth;
  if (a.kind === 'jwks')
    return jwtIdentity({ key: remoteJwks(a.jwksUrl), issuer: a.issuer, audience: a.audience });
  const keys = await loadOrCreateDevKeys(a.keyFile);
  return jwtIdentity({ key: keys.publicKey, issuer: a.issuer, audience: a.audience });
}
