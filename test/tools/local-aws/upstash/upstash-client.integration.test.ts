import { Redis } from '@upstash/redis';
import { Redis as RawRedis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_TEST_URL, redisAvailable, uniquePrefix } from '../../../support/services.js';
import { startTestUpstash, type TestUpstash } from '../../../support/upstash.js';

const available = await redisAvailable();
const p = uniquePrefix('upstash-client');

// The emulator must satisfy the real client on its defaults too (base64 responses, auto-pipelining,
// JSON deserialization), not only in the narrow configuration UpstashCache uses.
describe.skipIf(!available)('@upstash/redis on its defaults against the emulator', () => {
  let upstash: TestUpstash;
  let redis: Redis;
  beforeAll(async () => {
    upstash = await startTestUpstash();
    redis = new Redis({ url: upstash.url, token: upstash.token, enableTelemetry: false });
  });
  afterAll(async () => {
    const raw = new RawRedis(REDIS_TEST_URL);
    const keys = await raw.keys(`${p}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
    await upstash?.close();
  });

  it('round-trips objects, numbers, unicode and nil through base64 responses', async () => {
    await redis.set(`${p}obj`, { breed: 'Šiba inu 🐕', confidence: 0.9 }, { ex: 60 });
    expect(await redis.get(`${p}obj`)).toEqual({ breed: 'Šiba inu 🐕', confidence: 0.9 });
    expect(await redis.incrby(`${p}n`, 5)).toBe(5);
    expect(await redis.mget(`${p}n`, `${p}missing`)).toEqual([5, null]);
    expect(await redis.ttl(`${p}obj`)).toBeGreaterThan(50);
  });

  it('decodes nested arrays and hashes (ZRANGE WITHSCORES, HGETALL)', async () => {
    await redis.zadd(`${p}z`, { score: 2, member: 'b' }, { score: 1, member: 'a' });
    expect(await redis.zrange(`${p}z`, 0, -1, { withScores: true })).toEqual(['a', 1, 'b', 2]);
    await redis.hset(`${p}h`, { name: 'Rex', age: 3 });
    expect(await redis.hgetall(`${p}h`)).toEqual({ name: 'Rex', age: 3 });
  });

  it('batches concurrent commands through /pipeline (auto-pipelining) and answers each', async () => {
    const [a, b, c] = await Promise.all([
      redis.set(`${p}ap`, 'x'),
      redis.get(`${p}ap`),
      redis.exists(`${p}ap`, `${p}none`),
    ]);
    expect([a, b, c]).toEqual(['OK', 'x', 1]);
  });

  it('runs an explicit pipeline in order and names the command that failed', async () => {
    await redis.set(`${p}text`, 'text');
    const ok = await redis.pipeline().set(`${p}pl`, 1).incr(`${p}pl`).get(`${p}pl`).exec();
    expect(ok).toEqual(['OK', 2, 2]);
    await expect(redis.pipeline().get(`${p}pl`).incr(`${p}text`).exec()).rejects.toThrow(
      /Command 2 \[ incr \] failed: ERR value is not an integer/,
    );
  });

  it('runs a transaction through /multi-exec', async () => {
    const result = await redis.multi().set(`${p}tx`, 'v').append(`${p}tx`, 'w').get(`${p}tx`).exec();
    expect(result).toEqual(['OK', 2, 'vw']);
  });
});
