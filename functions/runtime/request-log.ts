import type { Logger } from '../../shared/ports/logger.js';

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
