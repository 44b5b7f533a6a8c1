import type { Cache } from '../../ports/cache.js';
import type { Logger } from '../../ports/logger.js';
import { throttledWarn } from '../../warn-throttle.js';

export interface FailOpenOptions {
  logger: Logger;
  /**
   * Upper bound for one get or set. Default 100 ms: an ElastiCache round trip is about 1 ms and an
   * Upstash REST call from the same region tens of ms, while a cache miss costs one model inference
   * (tens to hundreds of ms); waiting longer than that for the cache would cost more than it saves.
   */
  timeoutMs?: number;
  /** At most one warning per interval. Default 60 000 ms. */
  warnIntervalMs?: number;
}

/** Thrown internally when a call exceeds the bound; only ever logged. */
export class CacheTimeoutError extends Error {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`cache ${operation} took longer than ${timeoutMs} ms`);
    this.name = 'CacheTimeoutError';
  }
}

/**
 * A cache failure must never fail a request: this wrapper bounds every call, turns a failed or slow
 * get into a miss (null) and a failed set into a no-op, logs why (rate-limited), and never throws.
 */
export function withFailOpen(cache: Cache, options: FailOpenOptions): Cache {
  const timeoutMs = options.timeoutMs ?? 100;
  const warn = throttledWarn(options.logger, options.warnIntervalMs ?? 60_000);
  const guard = async <T>(operation: string, work: () => Promise<T>, fallback: T): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CacheTimeoutError(operation, timeoutMs)), timeoutMs);
    });
    try {
      return await Promise.race([work(), timeout]);
    } catch (error) {
      warn({ err: error, operation }, 'cache unavailable; continuing without it');
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    get: (key) => guard('get', () => cache.get(key), null),
    set: (key, value, ttlSeconds) => guard('set', () => cache.set(key, value, ttlSeconds), undefined),
    close: () => guard('close', () => cache.close(), undefined),
  };
}
