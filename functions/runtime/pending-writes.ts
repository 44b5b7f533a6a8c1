import type { Cache } from '../../shared/ports/cache.js';

export interface TrackedCache extends Cache {
  /** Resolves once every write started so far has finished (they are fail-open: never rejects). */
  settle(): Promise<void>;
}

/**
 * The core writes the cache without awaiting it (a prediction does not wait for its cache write). On
 * Lambda the container is frozen as soon as the handler returns, so such a write could be cut off and
 * the next identical image would miss. The handler settles the writes before it answers; the fail-open
 * wrapper underneath bounds each one by CACHE_TIMEOUT_MS.
 */
export function trackWrites(cache: Cache): TrackedCache {
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
      await Promise.allSettled([...pending]);
    },
  };
}
