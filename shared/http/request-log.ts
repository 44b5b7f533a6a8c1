import type { Logger } from '../ports/logger.js';

export interface RequestLogEntry {
  requestId: string;
  operation: string;
  method: string;
  status: number;
  durationMs: number;
  /** The error behind a non-2xx answer, if any. */
  error?: unknown;
  /** The error body's code. */
  code?: string | undefined;
}

/**
 * The request's one JSON line, at the same levels in both runtimes. Only an unexpected failure (500)
 * earns level error and a stack trace; a 503 is a known, retryable state (warn); a client's mistake,
 * or a client that went away (499), is info: it must not page anyone.
 */
export function logRequest(logger: Logger, { error, code, ...entry }: RequestLogEntry): void {
  const durationMs = Math.round(entry.durationMs * 100) / 100;
  const line = { ...entry, durationMs };
  if (error === undefined) logger.info(line, 'request');
  else if (entry.status === 500) logger.error({ ...line, code, err: error }, 'request failed');
  else if (entry.status >= 500) logger.warn({ ...line, code }, 'request refused');
  else logger.info({ ...line, code }, 'request');
}
