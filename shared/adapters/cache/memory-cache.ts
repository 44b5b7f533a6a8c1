import { LRUCache } from 'lru-cache';
import type { Cache } from '../../ports/cache.js';

export interface MemoryCacheOptions {
  /**
   * Entries kept before the least recently used is evicted. Default 1000: a cached prediction is a
   * few hundred bytes of JSON, so this bounds the cache to well under a megabyte per process.
   */
  maxEntries?: number;
}

/** The embedded default cache (npm start, tests): per process, lost on restart. */
export function createMemoryCache(options: MemoryCacheOptions = {}): Cache {
  const lru = new LRUCache<string, string>({ max: options.maxEntries ?? 1000 });
  return {
    async get(key) {
      // lru-cache checks expiry on read and never returns a stale entry unless allowStale is set.
      return lru.get(key) ?? null;
    },
    async set(key, value, ttlSeconds) {
      lru.set(key, value, { ttl: ttlSeconds * 1000 });
    },
    async close() {
      lru.clear();
    },
  };
}
