import { Redis } from 'ioredis';
import type { Cache } from '../../ports/cache.js';

export interface RedisCacheOptions {
  /** redis://[user:pass@]host:6379[/db], or rediss:// for TLS (ElastiCache in-transit encryption). */
  url: string;
  /** Prepended to every key, so several apps or test runs can share one Redis. Default ''. */
  keyPrefix?: string;
  /** Give up on a TCP connect after this. Default 1 000 ms (ioredis waits 10 s). */
  connectTimeoutMs?: number;
  /** Reject a command that got no reply within this. Default 1 000 ms; ioredis has no limit. */
  commandTimeoutMs?: number;
}

export interface RedisCache extends Cache {
  /** Resolves once connected; rejects after `timeoutMs`. Commands sent before that fail fast. */
  ready(timeoutMs?: number): Promise<void>;
}

/**
 * Cache over Redis TCP (ElastiCache on Beanstalk). Built to fail fast, since a cache that waits is
 * worse than none: with the offline queue disabled a command issued while disconnected is rejected at
 * once instead of being queued until Redis returns, and a command caught by a dropped connection is
 * retried at most once. ioredis keeps reconnecting in the background (backoff capped at 5 s), so the
 * cache recovers on its own. Wrap it in withFailOpen: this adapter itself does throw.
 */
export function createRedisCache(options: RedisCacheOptions): RedisCache {
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? '',
    connectTimeout: options.connectTimeoutMs ?? 1_000,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  // Without a listener ioredis prints every reconnect failure to the console. The error is kept
  // instead and reported by the next failing command (withFailOpen logs it, rate-limited).
  let connectionError: Error | undefined;
  redis.on('error', (error: Error) => {
    connectionError = error;
  });
  redis.on('ready', () => {
    connectionError = undefined;
  });
  const explain = (error: unknown): never => {
    if (redis.status === 'ready' || connectionError === undefined) throw error;
    // "Stream isn't writeable" alone would hide why: say what the connection last failed with.
    throw new Error(`Redis is ${redis.status}: ${connectionError.message}`, { cause: error });
  };
  return {
    get: (key) => redis.get(key).catch(explain),
    async set(key, value, ttlSeconds) {
      // EX takes whole seconds and rejects 0.
      await redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds))).catch(explain);
    },
    ready: (timeoutMs = 5_000) => waitUntilReady(redis, timeoutMs),
    async close() {
      if (redis.status === 'ready') {
        await redis.quit().catch(() => redis.disconnect());
      } else {
        redis.disconnect();
      }
    },
  };
}

function waitUntilReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis not ready after ${timeoutMs} ms (status ${redis.status})`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
