import { describe, expect, it } from 'vitest';
import { withFailOpen } from '../../../../shared/adapters/cache/fail-open-cache.js';
import { createRedisCache } from '../../../../shared/adapters/cache/redis-cache.js';
import { withLocalTier } from '../../../../shared/adapters/cache/tiered-cache.js';
import { silentLogger } from '../../../../shared/observability/logger.js';
import type { Cache } from '../../../../shared/ports/cache.js';
import { rawRedis } from '../../../support/raw-redis.js';
import { REDIS_TEST_URL, redisAvailable, uniquePrefix } from '../../../support/services.js';
import { registerCacheContract } from './cache-contract.js';

const available = await redisAvailable();
const keyPrefix = uniquePrefix('tiered-cache');

/** The shared cache with its calls counted, to see which reads reached Redis. */
function counted(cache: Cache): Cache & { gets: number; sets: number } {
  const counts = { gets: 0, sets: 0 };
  return Object.assign(counts, {
    get: (key: string) => {
      counts.gets++;
      return cache.get(key);
    },
    set: (key: string, value: string, ttl: number) => {
      counts.sets++;
      return cache.set(key, value, ttl);
    },
    close: () => cache.close(),
  });
}

describe.skipIf(!available)('an in-process tier in front of the real Redis', () => {
  describe('contract', () => {
    registerCacheContract(async () => {
      const redis = createRedisCache({ url: REDIS_TEST_URL, keyPrefix });
      await redis.ready();
      return withLocalTier(redis, { maxEntries: 100, fillTtlSeconds: 60 });
    });
  });

  const raw = rawRedis(keyPrefix);

  async function tiered(maxEntries = 100) {
    const redis = createRedisCache({ url: REDIS_TEST_URL, keyPrefix });
    await redis.ready();
    const shared = counted(redis);
    return { shared, cache: withLocalTier(shared, { maxEntries, fillTtlSeconds: 60 }) };
  }

  it('answers a repeated read without asking Redis, once an entry was read from it', async () => {
    const { shared, cache } = await tiered();
    try {
      await raw().set(`${keyPrefix}repeat`, 'from-redis');
      expect(await cache.get('repeat')).toBe('from-redis');
      expect(await cache.get('repeat')).toBe('from-redis');
      expect(await cache.get('repeat')).toBe('from-redis');
      expect(shared.gets).toBe(1);
    } finally {
      await cache.close();
    }
  });

  it('writes to Redis as well, so other processes and workers see the entry', async () => {
    const { cache } = await tiered();
    try {
      await cache.set('written', 'v', 120);
      expect(await raw().get(`${keyPrefix}written`)).toBe('v');
      expect(await raw().ttl(`${keyPrefix}written`)).toBeGreaterThan(100);
    } finally {
      await cache.close();
    }
  });

  it('still asks Redis for a key it holds no copy of, and does not keep a miss', async () => {
    const { shared, cache } = await tiered();
    try {
      expect(await cache.get('absent')).toBeNull();
      await raw().set(`${keyPrefix}absent`, 'later');
      expect(await cache.get('absent')).toBe('later');
      expect(shared.gets).toBe(2);
    } finally {
      await cache.close();
    }
  });

  it('keeps at most maxEntries: the least recently used is read from Redis again', async () => {
    const { shared, cache } = await tiered(2);
    try {
      for (const k of ['a', 'b', 'c']) await cache.set(k, k, 60);
      expect(await cache.get('c')).toBe('c');
      expect(await cache.get('b')).toBe('b');
      expect(shared.gets).toBe(0);
      expect(await cache.get('a')).toBe('a');
      expect(shared.gets).toBe(1);
    } finally {
      await cache.close();
    }
  });

  it('a local entry expires with the TTL it was written with', async () => {
    const { shared, cache } = await tiered();
    try {
      await cache.set('short', 'v', 1);
      expect(await cache.get('short')).toBe('v');
      expect(shared.gets).toBe(0);
      await new Promise((r) => setTimeout(r, 1_200));
      expect(await cache.get('short')).toBeNull();
      expect(shared.gets).toBe(1);
    } finally {
      await cache.close();
    }
  });

  it('serves what it holds while Redis is unreachable (fail-open underneath)', async () => {
    const dead = createRedisCache({ url: 'redis://127.0.0.1:1', keyPrefix, commandTimeoutMs: 50 });
    const cache = withLocalTier(withFailOpen(dead, { logger: silentLogger(), timeoutMs: 50 }), {
      maxEntries: 10,
      fillTtlSeconds: 60,
    });
    try {
      await cache.set('kept', 'v', 60);
      expect(await cache.get('kept')).toBe('v');
      expect(await cache.get('other')).toBeNull();
    } finally {
      await cache.close();
    }
  });
});
