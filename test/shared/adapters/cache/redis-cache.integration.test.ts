import { describe, expect, it } from 'vitest';
import { createRedisCache } from '../../../../shared/adapters/cache/redis-cache.js';
import { rawRedis } from '../../../support/raw-redis.js';
import { REDIS_TEST_URL, redisAvailable, uniquePrefix } from '../../../support/services.js';
import { registerCacheContract } from './cache-contract.js';

const available = await redisAvailable();
const keyPrefix = uniquePrefix('redis-cache');

describe.skipIf(!available)('Redis cache (real Redis)', () => {
  describe('contract', () => {
    registerCacheContract(async () => {
      const cache = createRedisCache({ url: REDIS_TEST_URL, keyPrefix });
      await cache.ready();
      return cache;
    });
  });

  describe('on the wire', () => {
    const raw = rawRedis(keyPrefix);

    it('stores under the key prefix with EX, rounding a fractional TTL up to whole seconds', async () => {
      const cache = createRedisCache({ url: REDIS_TEST_URL, keyPrefix });
      try {
        await cache.ready();
        await cache.set('wire', 'v', 90.2);
        expect(await raw().get(`${keyPrefix}wire`)).toBe('v');
        const ttl = await raw().ttl(`${keyPrefix}wire`);
        expect(ttl).toBeGreaterThan(85);
        expect(ttl).toBeLessThanOrEqual(91);
      } finally {
        await cache.close();
      }
    });
  });
});
