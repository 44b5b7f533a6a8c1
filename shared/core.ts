import type { ImageLimits } from './image/validate-image.js';
import type { SchemaCheck } from './migrations/schema-gate.js';
import type { ModelSlot } from './model-slot.js';
import { meteredCache, meteredModel } from './observability/metered.js';
import type { Cache } from './ports/cache.js';
import type { Identity } from './ports/identity.js';
import type { Logger } from './ports/logger.js';
import type { Metrics } from './ports/metrics.js';
import type { PredictionStore } from './ports/prediction-store.js';

/** Everything the use cases need, built once by the composition root of each runtime. */
export interface Core {
  store: PredictionStore;
  /**
   * Readiness asks it whether the store's schema is at the version this code expects. composeRuntime
   * always sets it; only unit tests of the use cases, which use no database, leave it out.
   */
  schema?: SchemaCheck;
  /** Already fail-open: a failing cache answers null and never throws. */
  cache: Cache;
  model: ModelSlot;
  identity: Identity;
  logger: Logger;
  limits: ImageLimits & { defaultTopK: number; maxTopK: number };
  cacheTtlSeconds: number;
}

/** What one request brings to the core, handed in by the pipeline. */
export interface RequestScope {
  /** The request's own recorder: its cache hits and misses, inference times and store retries. */
  metrics: Metrics;
  /** Aborted when the request's answer is due (Lambda's deadline): the store stops waiting then. */
  signal?: AbortSignal | undefined;
  /** The request's ids, on the store's log lines. */
  ids: Readonly<Record<string, string>>;
}

/**
 * A core as one request sees it: the same adapters, recording into the request's metrics and bounded
 * by its deadline. The pipeline makes one per request: a few small wrappers instead of an
 * AsyncLocalStorage scope, which turns on Node's promise hooks, a cost on every promise in the process.
 */
export function requestCore(core: Core, scope: RequestScope): Core {
  const { metrics, signal, ids } = scope;
  return {
    ...core,
    cache: meteredCache(core.cache, metrics),
    model: core.model.view((model) => meteredModel(model, metrics)),
    store:
      core.store.forRequest?.({ signal, logFields: ids, onRetry: () => metrics.count('StoreRetry') }) ??
      core.store,
  };
}
