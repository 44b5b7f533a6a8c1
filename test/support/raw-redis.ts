import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { REDIS_TEST_URL } from './services.js';

/**
 * A plain ioredis client for a suite that checks what reached Redis, opened before its tests; the
 * keys under `keyPrefix` are deleted and the client closed after them. Call inside a describe.
 */
export function rawRedis(keyPrefix: string): () => Redis {
  let raw: Redis | undefined;
  beforeAll(() => {
    raw = new Redis(REDIS_TEST_URL);
  });
  afterAll(async () => {
    if (!raw) return;
    const keys = await raw.keys(`${keyPrefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
  });
  return () => raw as Redis;
}
