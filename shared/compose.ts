import { logDownloadProgress } from './adapters/model/model-download.js';
import { loadTfjsModel } from './adapters/model/tfjs-model.js';
import { openCache } from './composition/open-cache.js';
import { openIdentity } from './composition/open-identity.js';
import { openSecrets } from './composition/open-secrets.js';
import { openStore, type StoreDeadline } from './composition/open-store.js';
import type { Config } from './config.js';
import type { Core } from './core.js';
import { ModelSlot } from './model-slot.js';
import type { Logger } from './ports/logger.js';

export interface Runtime {
  core: Core;
  /** Resolves once the model is loaded and warmed up (then /ready turns 200); rejects if it cannot load. */
  modelReady: Promise<void>;
  close(): Promise<void>;
}

/** The composition root: configuration in, the core with its adapters out. */
export async function composeRuntime(
  config: Config,
  logger: Logger,
  deadline: StoreDeadline = {},
): Promise<Runtime> {
  const secrets = await openSecrets(config);
  const store = await openStore(config, secrets, logger, deadline);
  const cache = await openCache(config, secrets, logger);
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
      secrets.close();
    },
  };
}
