import { withFailOpen } from '../adapters/cache/fail-open-cache.js';
import { createMemoryCache } from '../adapters/cache/memory-cache.js';
import { createRedisCache } from '../adapters/cache/redis-cache.js';
import { withRotatingToken } from '../adapters/cache/rotating-token-cache.js';
import { withLocalTier } from '../adapters/cache/tiered-cache.js';
import { createUpstashCache } from '../adapters/cache/upstash-cache.js';
import type { Config } from '../config.js';
import type { Cache } from '../ports/cache.js';
import type { Logger } from '../ports/logger.js';
import type { Secrets } from '../ports/secrets.js';
import { SECRET_NAMES } from './open-secrets.js';

/**
 * The configured cache, already fail-open: a cache that errors or stalls never fails a request. A
 * shared cache (Redis, Upstash) has an in-process tier in front of it (CACHE_LOCAL_ENTRIES).
 */
export async function openCache(config: Config, secrets: Secrets, logger: Logger): Promise<Cache> {
  const c = config.cache;
  const timeoutMs = config.cacheTimeoutMs;
  let cache: Cache;
  if (c.kind === 'memory') cache = createMemoryCache({ maxEntries: c.maxEntries });
  else if (c.kind === 'redis')
    cache = createRedisCache({ url: c.url, keyPrefix: c.keyPrefix, commandTimeoutMs: timeoutMs });
  // The token is read per call, not once here: on Lambda it arrives with each invocation (middy),
  // and anywhere a rotated token must be picked up without a restart.
  else
    cache = withRotatingToken(
      () => secrets.get(SECRET_NAMES.upstashToken),
      (token) => createUpstashCache({ url: c.url, token, keyPrefix: c.keyPrefix, timeoutMs }),
    );
  const shared = withFailOpen(cache, { logger, timeoutMs });
  if (c.kind === 'memory' || config.cacheLocalEntries === 0) return shared;
  return withLocalTier(shared, {
    maxEntries: config.cacheLocalEntries,
    fillTtlSeconds: config.cacheTtlSeconds,
  });
}
