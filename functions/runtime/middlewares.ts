import { randomUUID } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import secretsManager from '@middy/secrets-manager';
import { middySecretsOptions } from '../../shared/adapters/secrets/middy-secrets.js';
import { awsClientConfig } from '../../shared/composition/aws-client-config.js';
import type { Config } from '../../shared/config.js';
import { toErrorResponse } from '../../shared/error-response.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import type { HttpApiEvent } from './api-gateway.js';
import { currentInvocation } from './invocation.js';
import { reportRequest } from './request-log.js';
import { toHttpApiResult } from './result.js';

export interface MiddlewareOptions {
  config: Config;
  logger: Logger;
  secretIds: Record<string, string>;
  /** Where an error answered here is metered, like any other answer. */
  metrics: Metrics;
  /** Answer CORS preflights (the catch-all route gets them: no other route has OPTIONS). */
  preflight?: boolean;
}

/**
 * The middy chain of every HTTP function. Order matters: befores run top-down, afters and onErrors
 * bottom-up, so the error mapper (last) turns a thrown error into a response first, and CORS and the
 * security headers are then added to it like to any other answer.
 */
export function httpMiddlewares(options: MiddlewareOptions): MiddlewareObj<HttpApiEvent>[] {
  return [
    httpHeaderNormalizer(),
    ...(Object.keys(options.secretIds).length > 0 ? [cacheSecrets(options)] : []),
    httpSecurityHeaders(),
    httpCors({
      // Bearer tokens, not cookies: no browser sends credentials by itself, so any origin may call.
      origin: '*',
      headers: 'authorization,content-type,idempotency-key,x-request-id',
      methods: 'GET,POST,DELETE,OPTIONS',
      exposeHeaders: 'location,idempotent-replayed,retry-after,x-request-id,allow,www-authenticate',
      maxAge: 600,
      disableBeforePreflightResponse: !options.preflight,
    }),
    errorResponses(options),
  ];
}

/**
 * @middy/secrets-manager with a finite cacheExpiry (middySecretsOptions). The only secret a Lambda reads
 * is the Upstash token, and the cache is fail-open: when Secrets Manager cannot give it, the request is
 * served without the cache (warned) instead of failing. No prefetch at import: a failed fetch there has
 * nobody awaiting it, an unhandled rejection that kills the container; the first invocation fetches it
 * while the model still loads in the background, so a cold start hardly notices.
 */
function cacheSecrets({ config, logger, secretIds }: MiddlewareOptions): MiddlewareObj<HttpApiEvent> {
  const region = 'region' in config.secrets ? config.secrets.region : undefined;
  const endpoint = 'endpoint' in config.secrets ? config.secrets.endpoint : undefined;
  const cacheSeconds = 'cacheSeconds' in config.secrets ? config.secrets.cacheSeconds : 300;
  const middleware = secretsManager({
    ...middySecretsOptions({
      secretIds,
      cacheExpiryMs: cacheSeconds * 1000,
      awsClientOptions: region ? awsClientConfig(region, endpoint) : {},
      onStaleServed: (error) => logger.warn({ err: error }, 'secret refresh failed; serving the last value'),
    }),
    disablePrefetch: true,
  });
  return {
    async before(request) {
      try {
        await middleware.before?.(request);
      } catch (error) {
        logger.warn({ err: error }, 'secrets unavailable; serving without the cache');
      }
    },
  };
}

/** Anything thrown outside the dispatcher (start-up failed, a timeout) answers through the shared mapping. */
function errorResponses(sinks: { logger: Logger; metrics: Metrics }): MiddlewareObj<HttpApiEvent> {
  return {
    async onError(request) {
      if (request.response !== undefined && request.response !== null) return;
      const invocation = currentInvocation();
      const requestId = invocation?.requestId ?? randomUUID();
      const mapped = toErrorResponse(request.error, requestId);
      reportRequest(sinks, {
        requestId,
        operation: request.event.routeKey ?? 'unknown',
        method: request.event.requestContext?.http?.method ?? 'unknown',
        status: mapped.status,
        durationMs: invocation ? performance.now() - invocation.startedAt : 0,
        error: request.error,
        code: mapped.body.error.code,
      });
      // Set, not returned: a returned value would end the onError chain before CORS and the headers.
      request.response = toHttpApiResult(mapped, requestId);
    },
  };
}
