import type { Cache } from '../ports/cache.js';
import type { Metrics } from '../ports/metrics.js';
import type { Model } from '../ports/model.js';

/**
 * Counts hits and misses of any Cache. Wrapped around the fail-open cache, so a cache that is down
 * counts as misses: what the requests actually experienced.
 */
export function meteredCache(cache: Cache, metrics: Metrics): Cache {
  return {
    async get(key) {
      const value = await cache.get(key);
      metrics.count(value === null ? 'CacheMiss' : 'CacheHit');
      return value;
    },
    set: (key, value, ttlSeconds) => cache.set(key, value, ttlSeconds),
    close: () => cache.close(),
  };
}

/** Times every classify() of any Model as InferenceMs, failed ones included (they cost the CPU too). */
export function meteredModel(model: Model, metrics: Metrics): Model {
  return {
    info: model.info,
    async classify(image, topK) {
      const started = performance.now();
      try {
        return await model.classify(image, topK);
      } finally {
        metrics.timing('InferenceMs', performance.now() - started);
      }
    },
    dispose: () => model.dispose(),
  };
}
