import { describe, expect, it, vi } from 'vitest';
import { CacheTimeoutError, withFailOpen } from '../../../../shared/adapters/cache/fail-open-cache.js';
import { createMemoryCache } from '../../../../shared/adapters/cache/memory-cache.js';
import { createRedisCache } from '../../../../shared/adapters/cache/redis-cache.js';
import type { Cache } from '../../../../shared/ports/cache.js';
import { capturingLogger } from '../../../support/capturing-logger.js';

const never = () => new Promise<never>(() => undefined);
const hangingCache: Cache = { get: never, set: never, close: async () => undefined };
const brokenCache: Cache = {
  get: () => {
    throw new Error('synchronous failure');
  },
  set: async () => {
    throw new Error('asynchronous failure');
  },
  close: async () => undefined,
};

describe('fail-open cache', () => {
  it('passes values through while the inner cache works', async () => {
    const { logger, warnings } = capturingLogger();
    const cache = withFailOpen(createMemoryCache(), { logger });
    await cache.set('k', 'v', 60);
    expect(await cache.get('k')).toBe('v');
    expect(warnings).toEqual([]);
  });

  // On fake timers (the wrapper's bound and ioredis's own), so no wall-clock time is read: the calls
  // run while the clock reaches the bound, and the error logged says who ended them.
  it('a Redis that is down gives a miss and a set that resolves before the bound, never an error', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { logger, warnings } = capturingLogger();
    const redis = createRedisCache({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 200 });
    const cache = withFailOpen(redis, { logger, timeoutMs: 100 });
    try {
      const get = cache.get('k');
      const set = cache.set('k', 'v', 60);
      await vi.advanceTimersByTimeAsync(100);
      expect(await get).toBeNull();
      await expect(set).resolves.toBeUndefined();
      // Rejected by the adapter itself (no offline queue), not merely cut off by the wrapper's bound.
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.obj.err).not.toBeInstanceOf(CacheTimeoutError);
    } finally {
      await cache.close();
      vi.useRealTimers();
    }
  });

  it('a hanging cache is cut off at the bound, and not before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { logger, warnings } = capturingLogger();
      const cache = withFailOpen(hangingCache, { logger, timeoutMs: 50 });
      let answer: string | null | undefined;
      const get = cache.get('k').then((value) => {
        answer = value;
      });
      await vi.advanceTimersByTimeAsync(49);
      expect(answer).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      await get;
      expect(answer).toBeNull();
      expect(warnings[0]?.obj.err).toBeInstanceOf(CacheTimeoutError);

      const set = cache.set('k', 'v', 60);
      await vi.advanceTimersByTimeAsync(50);
      await expect(set).resolves.toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('synchronous and asynchronous failures both become a miss or a skipped set', async () => {
    const { logger } = capturingLogger();
    const cache = withFailOpen(brokenCache, { logger });
    expect(await cache.get('k')).toBeNull();
    await expect(cache.set('k', 'v', 60)).resolves.toBeUndefined();
  });

  it('warns at most once per interval and reports how many warnings it held back', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { logger, warnings } = capturingLogger();
      const cache = withFailOpen(brokenCache, { logger, warnIntervalMs: 100 });
      for (let i = 0; i < 10; i += 1) await cache.get('k');
      expect(warnings).toHaveLength(1);
      vi.advanceTimersByTime(99);
      await cache.get('k');
      expect(warnings).toHaveLength(1);
      vi.advanceTimersByTime(1);
      await cache.get('k');
      expect(warnings).toHaveLength(2);
      expect(warnings[1]?.obj).toMatchObject({ suppressed: 10, operation: 'get' });
    } finally {
      vi.useRealTimers();
    }
  });
});
