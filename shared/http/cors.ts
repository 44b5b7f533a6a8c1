/**
 * CORS, answered by the pipeline for both runtimes: they serve the same API to the same clients, so a
 * browser app on another origin must be able to call either one. Bearer tokens, not cookies: no
 * browser sends credentials by itself, so any origin may call.
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'location,idempotent-replayed,retry-after,x-request-id,allow,www-authenticate',
};

/** The answer to a preflight (OPTIONS on a known path): what may be sent, cached for 10 minutes. */
export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  ...CORS_HEADERS,
  'access-control-allow-methods': 'GET,POST,DELETE,OPTIONS',
  'access-control-allow-headers': 'authorization,content-type,idempotency-key,x-request-id',
  'access-control-max-age': '600',
};
