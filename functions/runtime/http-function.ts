import middy from '@middy/core';
import { emfMetrics } from '../../shared/adapters/metrics/emf-metrics.js';
import { toErrorResponse } from '../../shared/error-response.js';
import { NotFoundError } from '../../shared/errors.js';
import { dispatch } from '../../shared/http/dispatch.js';
import type { Operation, OperationResult } from '../../shared/http/operation.js';
import { operations } from '../../shared/http/operations.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import type { HttpApiEvent, HttpApiResult, LambdaContext } from './api-gateway.js';
import { toOperationRequest } from './event.js';
import { type HttpFunctionName, httpFunctions } from './function-table.js';
import { currentInvocation, type Invocation } from './invocation.js';
import { type LambdaRuntime, startLambdaRuntime } from './lambda-runtime.js';
import { meteredInvocations } from './metered-invocation.js';
import { httpMiddlewares } from './middlewares.js';
import { reportRequest } from './request-log.js';
import { toHttpApiResult } from './result.js';

export type HttpHandler = (event: HttpApiEvent, context: LambdaContext) => Promise<HttpApiResult>;

export interface HttpFunctionOptions {
  /** Default: EMF on stdout, which CloudWatch Logs turns into metrics. Tests pass one that captures. */
  metrics?: Metrics;
}

// Leaves time to log and answer (a 500) before Lambda kills an invocation that ran out of time; the
// store's retries already stop 500 ms before the deadline with a 503 of their own.
const TIMEOUT_EARLY_MS = 250;

/**
 * One Lambda function over its entries of the operation table: the event becomes an OperationRequest,
 * the shared dispatcher authenticates, validates and runs it, the result becomes API Gateway's answer.
 * Calling this at a module's top level starts the container's initialisation (see startLambdaRuntime).
 */
export function httpFunction(name: HttpFunctionName, options: HttpFunctionOptions = {}): HttpHandler {
  const ops = httpFunctions[name].operations.map((id) => operationById(id));
  const metrics = options.metrics ?? emfMetrics();
  const runtime = startLambdaRuntime({ loadModel: httpFunctions[name].model, metrics });
  const routed = middy((event: HttpApiEvent): Promise<HttpApiResult> => serve(runtime, ops, event), {
    timeoutEarlyInMillis: TIMEOUT_EARLY_MS,
  }).use(httpMiddlewares(runtime));
  return meteredInvocations(runtime, (event, context) => routed(event, context as never));
}

async function serve(runtime: LambdaRuntime, ops: readonly Operation[], event: HttpApiEvent) {
  const { requestId, startedAt } = currentInvocation() as Invocation;
  const core = await runtime.ready();
  const op = ops.find((o) => `${o.method} ${o.path}` === event.routeKey);
  let result: OperationResult & { error?: unknown };
  if (!op) {
    // A route wired to the wrong function is a deployment mistake; say so without guessing.
    const error = new NotFoundError(`No operation for route ${event.routeKey} in this function.`);
    result = { ...toErrorResponse(error, requestId), error };
  } else {
    try {
      result = await dispatch(core, op, toOperationRequest(event, op, core.limits.maxImageBytes), requestId);
    } catch (error) {
      // Only the event's translation throws here (a malformed path, the body limit), as in the Express
      // runtime's body reader.
      result = { ...toErrorResponse(error, requestId), error };
    }
  }
  // The core does not await its cache writes; a frozen container would cut them off.
  await core.cache.settle();
  const code =
    result.error === undefined ? undefined : (result.body as { error: { code: string } }).error.code;
  reportRequest(runtime, {
    requestId,
    operation: op?.id ?? event.routeKey,
    method: event.requestContext.http.method,
    status: result.status,
    durationMs: performance.now() - startedAt,
    ...(result.error === undefined ? {} : { error: result.error, code }),
  });
  return toHttpApiResult(result, requestId);
}

function operationById(id: string): Operation {
  const op = operations.find((o) => o.id === id);
  if (!op) throw new Error(`functions/runtime/function-table.ts names an unknown operation "${id}".`);
  return op;
}
