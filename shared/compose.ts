import { describeModelSource } from './adapters/model/model-source.js';
import { openCache } from './composition/open-cache.js';
import { openIdentity } from './composition/open-identity.js';
import { openSecrets } from './composition/open-secrets.js';
import { openStore } from './composition/open-store.js';
import type { Config } from './config.js';
import type { Core } from './core.js';
import { ModelSlot } from './model-slot.js';
import type { Cache } from './ports/cache.js';
import type { Logger } from './ports/logger.js';
import { type Metrics, noMetrics } from './ports/metrics.js';
import type { Secrets } from './ports/secrets.js';

export interface Runtime {
  core: Core;
  /** Resolves once every cache write started so far has finished (they are fail-open: never rejects). */
  settle(): Promise<void>;
  /** Resolves once the model is loaded and warmed up (then /ready turns 200); rejects if it cannot load. */
  modelReady: Promise<void>;
  close(): Promise<void>;
}

/** What a runtime may supply instead of the defaults; the long-running runtimes pass nothing. */
export interface ComposeOptions {
  /**
   * Where secrets come from instead of openSecrets(config). Lambda passes the values
   * @middy/secrets-manager hands in with each invocation.
   */
  secrets?: Secrets;
  /** The folder of the tfjs-backend-wasm .wasm files, for a bundle that ships them outside node_modules. */
  wasmDir?: string;
  /**
   * false: no model (a function that never predicts; the slot stays empty). 'labels': only its labels,
   * from its metadata.json, without TF.js or the weights (a function that checks breeds, never
   * classifies). Default true.
   */
  loadModel?: boolean | 'labels';
  /**
   * Model worker threads (the server passes config.model.workers). Unset: one in-process model, as
   * Lambda wants: one invocation holds one request.
   */
  modelWorkers?: number;
  /**
   * Where the process's own records go (the model load time). A request's (cache hits, inference
   * times, store retries) go to its own recorder, through requestCore. Default none.
   */
  metrics?: Metrics;
}

/** The composition root: configuration in, the core with its adapters out. */
export async function composeRuntime(
  config: Config,
  logger: Logger,
  options: ComposeOptions = {},
): Promise<Runtime> {
  const secrets = options.secrets ? { ...options.secrets, close() {} } : await openSecrets(config);
  const metrics = options.metrics ?? noMetrics;
  const opened = await openStore(config, secrets, logger);
  const cache = trackWrites(await openCache(config, secrets, logger));
  const identity = await openIdentity(config);
  const model = new ModelSlot();
  const modelReady =
    options.loadModel === false
      ? Promise.resolve()
      : options.loadModel === 'labels'
        ? describeModelSource(config.model.uri, { cacheDir: config.model.cacheDir }).then((described) =>
            model.setLabels({ labels: described.labels, species: described.species }),
          )
        : // Imported here, not above: a process that never classifies never evaluates TF.js.
          import('./composition/open-model.js')
            .then(({ openModel }) =>
              openModel(config, logger, { wasmDir: options.wasmDir, workers: options.modelWorkers }),
            )
            .then((loaded) => {
              const { sourceMs, loadMs, warmupMs } = loaded.stats;
              metrics.timing('ModelLoadMs', sourceMs + loadMs + warmupMs);
              model.set(loaded);
            });
  // Observed here so an early failure is not an unhandled rejection; callers still see it.
  modelReady.catch((err: unknown) => logger.error({ err }, 'model failed to load'));
  const core: Core = {
    store: opened.store,
    schema: opened.schema,
    cache,
    model,
    identity,
    logger,
    limits: config.limits,
    cacheTtlSeconds: config.cacheTtlSeconds,
  };
  return {
    core,
    settle: () => cache.settle(),
    modelReady,
    async close() {
      await modelReady.catch(() => undefined);
      await Promise.allSettled([opened.store.close(), cache.close(), model.peek()?.dispose()]);
      secrets.close();
    },
  };
}

/**
 * The core writes the cache without awaiting it (a prediction does not wait for its cache write). On
 * Lambda the container is frozen as soon as the handler returns, so such a write could be cut off and
 * the next identical image would miss: the Lambda adapter settles the writes before it answers. The
 * fail-open wrapper underneath bounds each one by CACHE_TIMEOUT_MS.
 */
export function trackWrites(cache: Cache): Cache & { settle(): Promise<void> } {
  const pending = new Set<Promise<void>>();
  return {
    get: (key) => cache.get(key),
    set(key, value, ttlSeconds) {
      const write = cache.set(key, value, ttlSeconds).finally(() => pending.delete(write));
      pending.add(write);
      return write;
    },
    close: () => cache.close(),
    async settle() {
      if (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
