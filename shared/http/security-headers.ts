/**
 * The security headers of every answer, on both runtimes: the pipeline adds them to each answer it
 * gives (success, error, 404, 413, preflight), and the Express runtime's own answers (the try-it page,
 * what Node refuses before the pipeline) take them from here too. Helmet's defaults for an answer that
 * is not a page, plus a Content-Security-Policy: an answer is JSON, so should a browser ever render one
 * it loads nothing and sits in no frame. A policy binds the document it comes with, never the page that
 * fetched it; the try-it page has its own (eb-compat/site.ts).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  // 180 days. Browsers ignore it over plain HTTP, so local runs are unaffected.
  'strict-transport-security': 'max-age=15552000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
};
