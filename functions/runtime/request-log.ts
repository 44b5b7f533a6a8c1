import { recordRequest } from '../../shared/adapters/metrics/request-metrics.js';
import { logRequest, type RequestLogEntry } from '../../shared/http/request-log.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import { currentInvocation } from './invocation.js';

export type { RequestLogEntry };

/**
 * The request's log line and its metrics (RequestMs, 4xx/5xx by code) from the same entry, so the two
 * agree. Once per invocation: after middy's early timeout answered (and reported) a 500, the handler
 * may still finish and try again; its late report would land on the next invocation's EMF line.
 */
export function reportRequest(sinks: { logger: Logger; metrics: Metrics }, entry: RequestLogEntry): void {
  const invocation = currentInvocation();
  if (invocation?.reported) return;
  if (invocation) invocation.reported = true;
  logRequest(sinks.logger, entry);
  const { operation, status, code, durationMs } = entry;
  recordRequest(sinks.metrics, { operation, status, code, durationMs });
}
