import type { MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import secretsManager from '@middy/secrets-manager';
import { middySecretsOptions } from '../../shared/adapters/secrets/middy-secrets.js';
import { awsClientConfig } from '../../shared/composition/aws-client-config.js';
import type { Config } from '../../shared/config.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { HttpApiEvent } from './api-gateway.js';

export interface MiddlewareOptions {
  config: Config;
  logger: Logger;
  secretIds: Record<string, string>;
}

/**
 * What stays middy's on Lambda, around the shared pipeline: what is about the Lambda event or its
 * context, not HTTP. The header normaliser (whatever the event source, names arrive lower-cased) and
 * the secrets middleware (it puts the Upstash token on the invocation's context, which the handler
 * hands to the container). CORS, security headers, error mapping and the request line are the
 * pipeline's, the same for both runtimes. Neither throws into the handler: the secrets are fail-open,
 * the normaliser is pure.
 */
export function httpMiddlewares(options: MiddlewareOptions): MiddlewareObj<HttpApiEvent>[] {
  return [
    httpHeaderNormalizer(),
    ...(Object.keys(options.secretIds).length > 0 ? [cacheSecrets(options)] : []),
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
