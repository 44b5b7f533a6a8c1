import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstashCache } from '../../../../shared/adapters/cache/upstash-cache.js';
import { rawRedis } from '../../../support/raw-redis.js';
import { redisAvailable, uniquePrefix } from '../../../support/services.js';
import { startTestUpstash, type TestUpstash } from '../../../support/upstash.js';
import { registerCacheContract } from './cache-contract.js';

const available = await redisAvailable();
const keyPrefix = uniquePrefix('upstash-cache');

describe.skipIf(!available)('Upstash cache (@upstash/redis -> REST emulator -> real Redis)', () => {
  let upstash: TestUpstash;
  beforeAll(async () => {
    upstash = await startTestUpstash();
  });
  afterAll(async () => {
    await upstash?.close();
  });

  describe('contract', () => {
    registerCacheContract(async () =>
      createUpstashCache({ url: upstash.url, token: upstash.token, keyPrefix, timeoutMs: 2_000 }),
    );
  });

  describe('on the wire', () => {
    const raw = rawRedis(keyPrefix);

    it('stores under the key prefix with EX, rounding a fractional TTL up to whole seconds', async () => {
      const cache = createUpstashCache({ url: upstash.url, token: upstash.token, keyPrefix });
      await cache.set('wire', 'v', 90.2);
      expect(await raw().get(`${keyPrefix}wire`)).toBe('v');
      const ttl = await raw().ttl(`${keyPrefix}wire`);
      expect(ttl).toBeGreaterThan(85);
      expect(ttl).toBeLessThanOrEqual(91);
    });

    it('returns stored JSON text as text, never parsed (automatic deserialization is off)', async () => {
      const cache = createUpstashCache({ url: upstash.url, token: upstash.token, keyPrefix });
      for (const value of ['{"a":1}', '42', 'null', '"quoted"', 'OK']) {
        await cache.set('json', value, 60);
        expect(await cache.get('json')).toBe(value);
      }
    });
  });
});
