import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { recordRequest } from '../shared/adapters/metrics/request-metrics.js';
import { ClientClosedRequestError } from '../shared/errors.js';
import type { OperationResult } from '../shared/http/operation.js';
import { logRequest } from '../shared/http/request-log.js';
import type { Logger } from '../shared/ports/logger.js';
import type { Metrics } from '../shared/ports/metrics.js';

/** Where every answer of the Express runtime is logged and metered. */
export interface Sinks {
  logger: Logger;
  metrics: Metrics;
}

/** Sends the answer (unless the client is gone), then its log line and metrics from the same facts. */
export function answer(
  sinks: Sinks,
  req: Request,
  res: Response,
  operation: string,
  result: OperationResult & { error?: unknown },
): void {
  const requestId = requestIdOf(req);
  if (!(result.error instanceof ClientClosedRequestError)) send(res, requestId, result);
  const startedAt = (req as Request & { startedAt?: number }).startedAt ?? performance.now();
  const durationMs = performance.now() - startedAt;
  const code =
    result.error === undefined ? undefined : (result.body as { error: { code: string } }).error.code;
  const entry = { requestId, operation, method: req.method, status: result.status, durationMs };
  recordRequest(sinks.metrics, { operation, status: result.status, code, durationMs });
  sinks.metrics.flush();
  logRequest(sinks.logger, result.error === undefined ? entry : { ...entry, code, error: result.error });
}

function send(res: Response, requestId: string, result: OperationResult): void {
  if (res.headersSent) {
    // A failure after the answer started: all that is left is to not hang the client.
    res.destroy();
    return;
  }
  res.status(result.status);
  res.setHeader('x-request-id', requestId);
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  if (result.body === undefined) res.end();
  else res.json(result.body);
}

const REQUEST_ID = /^[\w.-]{1,128}$/;

/** A caller's (or the load balancer's) id is kept when it is sane, so logs join up end to end. */
export function requestIdOf(req: Request): string {
  const cached = (req as Request & { requestId?: string }).requestId;
  if (cached) return cached;
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  (req as Request & { requestId?: string }).requestId = id;
  return id;
}
