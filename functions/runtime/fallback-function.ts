import middy from '@middy/core';
import { loadConfig } from '../../shared/config.js';
import { toErrorResponse } from '../../shared/error-response.js';
import { MethodNotAllowedError, NotFoundError } from '../../shared/errors.js';
import { operations } from '../../shared/http/operations.js';
import { createLogger } from '../../shared/logger.js';
import type { HttpApiEvent, HttpApiResult, LambdaContext } from './api-gateway.js';
import { requestIdOf } from './event.js';
import type { HttpHandler } from './http-function.js';
import { runInvocation } from './invocation.js';
import { httpMiddlewares } from './middlewares.js';
import { toHttpApiResult } from './result.js';
import { operationsAt } from './routes.js';

/**
 * The catch-all ($default) route: API Gateway's own answer to an unknown route is {"message":"Not Found"},
 * not the API's error body, so unmatched requests come here and get the same 404 / 405 as the Express
 * runtime. CORS preflights (OPTIONS matches no route) are answered here too. Nothing is composed: no
 * store, no model, so this function stays small and fast to start.
 */
export function fallbackFunction(): HttpHandler {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const routed = middy(async (event: HttpApiEvent): Promise<HttpApiResult> => {
    const requestId = requestIdOf(event);
    const path = event.requestContext.http.path ?? event.rawPath;
    const error =
      operationsAt(operations, path).length > 0
        ? new MethodNotAllowedError()
        : new NotFoundError('No such route.');
    return toHttpApiResult(toErrorResponse(error, requestId), requestId);
  }).use(httpMiddlewares({ config, logger, secretIds: {}, preflight: true }));
  return (event: HttpApiEvent, context: LambdaContext) =>
    runInvocation({ event, context, requestId: requestIdOf(event), startedAt: performance.now() }, () =>
      routed(event, context as never),
    );
}
