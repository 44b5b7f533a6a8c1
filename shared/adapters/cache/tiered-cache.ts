import type { Cache } from '../../ports/cache.js';
import { createMemoryCache } from './memory-cache.js';

export interface LocalTierOptions {
  /** Entries kept in the process; the least recently used goes first. */
  maxEntries: number;
  /** How long an entry read from the shared cache is kept here (its own lifetime there is unknown). */
  fillTtlSeconds: number;
}

/**
 * A small in-process cache in front of the shared one (Redis, Upstash). A cached prediction never
 * changes for its key (the image's hash and the model's version), so a copy kept here is as right as
 * the shared entry, and a repeated image is answered without a network round trip. Reads fill this
 * tier from the shared one; writes go to both. The shared cache stays the one every process and
 * worker sees: a miss here still asks it.
 */
export function withLocalTier(shared: Cache, options: LocalTierOptions): Cache {
  const local = createMemoryCache({ maxEntries: options.maxEntries });
  return {
    async get(key) {
      const near = await local.get(key);
      if (near !== null) return near;
      const far = await shared.get(key);
      if (far !== null) await local.set(key, far, options.fillTtlSeconds);
      return far;
    },
    async set(key, value, ttlSeconds) {
      await local.set(key, value, ttlSeconds);
      await shared.set(key, value, ttlSeconds);
    },
    async close() {
      await Promise.all([local.close(), shared.close()]);
    },
  };
}
