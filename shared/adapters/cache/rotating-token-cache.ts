import type { Cache } from '../../ports/cache.js';

/**
 * A cache whose client depends on a secret (the Upstash REST token) that may be rotated while the
 * process lives. The token is read on every call, from wherever the Secrets port keeps it (on Lambda:
 * the current invocation's context, filled by @middy/secrets-manager), and one client is kept per token
 * value: a rotated token builds a new client on the next call instead of failing until a restart.
 * Reading the token may throw (SecretError); wrap this in withFailOpen like any other cache.
 */
export function withRotatingToken(readToken: () => Promise<string>, build: (token: string) => Cache): Cache {
  let current: { token: string; cache: Cache } | undefined;
  const client = async (): Promise<Cache> => {
    const token = await readToken();
    if (current?.token !== token) {
      const previous = current?.cache;
      current = { token, cache: build(token) };
      // The old client may still finish a call in flight; closing is a courtesy, never awaited.
      void previous?.close().catch(() => undefined);
    }
    return current.cache;
  };
  return {
    get: async (key) => (await client()).get(key),
    set: async (key, value, ttlSeconds) => (await client()).set(key, value, ttlSeconds),
    async close() {
      await current?.cache.close();
      current = undefined;
    },
  };
}
