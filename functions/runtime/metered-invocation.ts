import { coldStartRecorder } from '../../shared/adapters/metrics/request-metrics.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import type { HttpApiEvent, HttpApiResult, LambdaContext } from './api-gateway.js';
import { requestIdOf } from './event.js';
import { type Invocation, runInvocation } from './invocation.js';
import { reportRequest } from './request-log.js';

type Handler = (event: HttpApiEvent, context: LambdaContext) => Promise<HttpApiResult>;

/**
 * The outside of every HTTP function: each invocation runs in its own AsyncLocalStorage scope,
 * ColdStart is counted on the container's first one, and whatever happens (an answer, a 4xx, a
 * thrown error) what was recorded during it is flushed once at its end. The container serves one
 * invocation at a time, so that is exactly one EMF line per invocation, carrying both ids so Logs
 * Insights joins it to the request's log line. An answer nobody reported (a CORS preflight ends the
 * middy chain in a `before`, skipping the handler) is reported here, so none goes unlogged or unmetered.
 */
export function meteredInvocations(sinks: { logger: Logger; metrics: Metrics }, work: Handler): Handler {
  const coldStart = coldStartRecorder(sinks.metrics);
  return async (event, context) => {
    const invocation: Invocation = {
      event,
      context,
      requestId: requestIdOf(event),
      startedAt: performance.now(),
      reported: false,
    };
    coldStart();
    try {
      return await runInvocation(invocation, async () => {
        const result = await work(event, context);
        if (!invocation.reported) {
          const method = event.requestContext?.http?.method ?? 'unknown';
          reportRequest(sinks, {
            requestId: invocation.requestId,
            operation: method === 'OPTIONS' ? 'preflight' : event.routeKey,
            method,
            status: result.statusCode,
            durationMs: performance.now() - invocation.startedAt,
          });
        }
        return result;
      });
    } finally {
      sinks.metrics.flush({ requestId: invocation.requestId, awsRequestId: context.awsRequestId });
    }
  };
}
