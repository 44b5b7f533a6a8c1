import { Redis } from '@upstash/redis';
import type { Cache } from '../../ports/cache.js';

export interface UpstashCacheOptions {
  /** The database's REST URL (https://<name>.upstash.io), or the local emulator's http:// URL. */
  url: string;
  /** The database's REST token: a secret, read through the Secrets port. */
  token: string;
  /**
   * Abort the HTTP request after this. Default 100 ms, the fail-open wrapper's default bound: pass the
   * same value (CACHE_TIMEOUT_MS) so a request the wrapper gave up on is cancelled, not left running.
   */
  timeoutMs?: number;
  /** Prepended to every key, so several apps or test runs can share one database. Default ''. */
  keyPrefix?: string;
}

/**
 * Cache over Upstash's Redis REST API (Lambda: no TCP connection to keep, one HTTPS request per call).
 * Built to fail fast; wrap it in withFailOpen, since this adapter itself does throw.
 */
export function createUpstashCache(options: UpstashCacheOptions): Cache {
  const timeoutMs = options.timeoutMs ?? 100;
  const prefix = options.keyPrefix ?? '';
  const redis = new Redis({
    url: options.url,
    token: options.token,
    // We store JSON text and must get the same text back; the default would JSON.parse it.
    automaticDeserialization: false,
    // `retry: false` still makes two attempts (the client loops `attempts` + 1 times); zero retries
    // is one attempt. A cache must not retry: a miss costs less than the wait.
    retry: { retries: 0 },
    // A function, not a signal: the client calls it per request, so each call gets a fresh
    // deadline. With a plain AbortSignal the client turns an abort into a 200 whose result is the
    // abort reason (a cache get would then "hit" with junk); with a function it rethrows the abort.
    signal: () => AbortSignal.timeout(timeoutMs),
    // Off: a request does one get, and later one set, never several in the same tick, so batching
    // has nothing to batch; on, each call would wait for the tick to end and go out as /pipeline,
    // where one command's failure is reported through the batch instead of its own request.
    enableAutoPipelining: false,
    // Telemetry only adds runtime/platform headers for Upstash's statistics; we need none of it.
    enableTelemetry: false,
  });
  return {
    async get(key) {
      const value = await redis.get<string>(prefix + key);
      return value ?? null;
    },
    async set(key, value, ttlSeconds) {
      // EX takes whole seconds and rejects 0.
      await redis.set(prefix + key, value, { ex: Math.max(1, Math.ceil(ttlSeconds)) });
    },
    async close() {
      // Connectionless: fetch's keep-alive sockets close on their own when idle.
    },
  };
}
