import middy from '@middy/core';
import { emfMetrics } from '../../shared/adapters/metrics/emf-metrics.js';
import { loadConfig } from '../../shared/config.js';
import { toErrorResponse } from '../../shared/error-response.js';
import { NotFoundError } from '../../shared/errors.js';
import { openApiJson } from '../../shared/http/openapi.js';
import { operations } from '../../shared/http/operations.js';
import { assertWellFormedPath, methodNotAllowed } from '../../shared/http/request-path.js';
import { createLogger } from '../../shared/logger.js';
import type { HttpApiEvent, HttpApiResult } from './api-gateway.js';
import { contextualLogger } from './contextual-logger.js';
import type { HttpFunctionOptions, HttpHandler } from './http-function.js';
import { currentInvocation, type Invocation } from './invocation.js';
import { meteredInvocations } from './metered-invocation.js';
import { httpMiddlewares } from './middlewares.js';
import { reportRequest } from './request-log.js';
import { toHttpApiResult } from './result.js';
import { operationsAt } from './routes.js';

/**
 * The catch-all ($default) route: API Gateway's own answer to an unknown route is {"message":"Not Found"},
 * not the API's error body, so unmatched requests come here and get the same 404 / 405 as the Express
 * runtime. CORS preflights (OPTIONS matches no route) are answered here too, and GET /openapi.json,
 * which is not an operation of the table, so needs no route of its own in serverless.yml. Nothing is
 * composed: no store, no model, so this function stays small and fast to start.
 */
export function fallbackFunction(options: HttpFunctionOptions = {}): HttpHandler {
  const config = loadConfig();
  const logger = contextualLogger(createLogger(config.logLevel));
  const metrics = options.metrics ?? emfMetrics();
  const sinks = { logger, metrics };
  const routed = middy(async (event: HttpApiEvent): Promise<HttpApiResult> => {
    const { requestId, startedAt } = currentInvocation() as Invocation;
    const method = event.requestContext.http.method;
    const path = event.requestContext.http.path ?? event.rawPath;
    const report = (operation: string, status: number, error?: unknown, code?: string) =>
      reportRequest(sinks, {
        requestId,
        operation,
        method,
        status,
        durationMs: performance.now() - startedAt,
        ...(error === undefined ? {} : { error, code }),
      });
    if (method === 'GET' && path === '/openapi.json') {
      // The same text the Express runtime serves, built once per container.
      const body = openApiJson();
      report('openApi', 200);
      const headers = { 'x-request-id': requestId, 'content-type': 'application/json; charset=utf-8' };
      return { statusCode: 200, headers, body, isBase64Encoded: false };
    }
    const error = unrouted(path, event.rawPath ?? path);
    const answer = toErrorResponse(error, requestId);
    report('notFound', answer.status, error, answer.body.error.code);
    return toHttpApiResult(answer, requestId);
  }).use(httpMiddlewares({ config, logger, metrics, secretIds: {}, preflight: true }));
  return meteredInvocations(sinks, (event, context) => routed(event, context as never));
}

/** Why no route took the request: a malformed path (400), a known path with another method (405), or 404. */
function unrouted(path: string, rawPath: string): Error {
  try {
    assertWellFormedPath(rawPath);
  } catch (error) {
    return error as Error;
  }
  const ops = operationsAt(operations, path);
  return ops.length > 0 ? methodNotAllowed(ops) : new NotFoundError('No such route.');
}
