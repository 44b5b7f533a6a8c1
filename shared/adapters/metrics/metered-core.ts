import type { Core } from '../../core.js';
import type { Metrics } from '../../ports/metrics.js';
import { RetryingStore } from '../store/retrying-store.js';
import { meteredCache } from './metered-cache.js';
import { meteredModel } from './metered-model.js';

/**
 * A core as one request sees it: the same adapters, with its cache hits and misses, inference times
 * and store retries (the Data API's) recorded into `metrics`, the request's own recorder. The pipeline
 * makes one per request: a few small wrappers instead of an AsyncLocalStorage scope, which turns on
 * Node's promise hooks, a cost on every promise in the process.
 */
export function meteredCore(core: Core, metrics: Metrics): Core {
  return {
    ...core,
    cache: meteredCache(core.cache, metrics),
    model: core.model.view((model) => meteredModel(model, metrics)),
    store:
      core.store instanceof RetryingStore
        ? core.store.reportingTo(() => metrics.count('StoreRetry'))
        : core.store,
  };
}
