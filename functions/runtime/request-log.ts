import { recordRequest } from '../../shared/adapters/metrics/request-metrics.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import { currentInvocation } from './invocation.js';

export interface RequestLogEntry {
  requestId: string;
  operation: string;
  method: string;
  status: number;
  durationMs: number;
  /** The error behind a non-2xx answer, if any. */
  error?: unknown;
  /** The error body's code. */
  code?: string;
}

/** One JSON line per invocation, at the same levels as the Express runtime's request log. */
export function logRequest(logger: Logger, { error, code, ...entry }: RequestLogEntry): void {
  const durationMs = Math.round(entry.durationMs * 100) / 100;
  const line = { ...entry, durationMs };
  if (error === undefined) logger.info(line, 'request');
  // Only an unexpected failure earns a stack trace; a 503 is a known, retryable state.
  else if (entry.status === 500) logger.error({ ...line, code, err: error }, 'request failed');
  else if (entry.status >= 500) logger.warn({ ...line, code }, 'request refused');
  else logger.info({ ...line, code }, 'request');
}

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
