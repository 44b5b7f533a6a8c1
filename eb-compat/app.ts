import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { recordRequest } from '../shared/adapters/metrics/request-metrics.js';
import type { DevTokens } from '../shared/composition/dev-tokens.js';
import type { Core } from '../shared/core.js';
import { toErrorResponse } from '../shared/error-response.js';
import { MethodNotAllowedError, NotFoundError } from '../shared/errors.js';
import { dispatch } from '../shared/http/dispatch.js';
import type { Operation, OperationResult } from '../shared/http/operation.js';
import { operations } from '../shared/http/operations.js';
import { type Metrics, noMetrics } from '../shared/ports/metrics.js';
import { readBody } from './read-body.js';
import { siteRoutes } from './site.js';

// A save is a few hundred bytes; multipart framing around an image is a few hundred more.
const JSON_BODY_LIMIT = 64 * 1024;
export const MULTIPART_OVERHEAD = 64 * 1024;

export interface AppState {
  /** Set on SIGTERM: requests arriving on kept-alive connections are refused. */
  draining: boolean;
}

export interface AppOptions {
  /** Request metrics (RequestMs, ClientError/ServerError by code); the core's wrappers record the rest. */
  metrics?: Metrics;
  /** Only with the dev identity: serves GET /dev/token for the try-it page. */
  devTokens?: DevTokens | undefined;
}

/** The Express runtime: each entry of the operation table becomes one route, nothing more. */
export function createApp(
  core: Core,
  state: AppState = { draining: false },
  options: AppOptions = {},
): express.Express {
  const metrics = options.metrics ?? noMetrics;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  for (const op of operations) {
    const route = op.path.replace(/\{(\w+)\}/g, ':$1');
    app[op.method === 'DELETE' ? 'delete' : op.method === 'POST' ? 'post' : 'get'](route, (req, res) =>
      handle(core, state, metrics, op, req, res),
    );
  }
  const paths = new Set(operations.map((op) => op.path.replace(/\{(\w+)\}/g, ':$1')));
  for (const route of paths) {
    app.all(route, (req, res) =>
      send(res, requestIdOf(req), toErrorResponse(new MethodNotAllowedError(), requestIdOf(req))),
    );
  }
  const fail = (req: Request, res: Response, error: unknown) =>
    send(res, requestIdOf(req), toErrorResponse(error, requestIdOf(req)));
  // After the table's routes, so an API request never touches the file system.
  app.use(siteRoutes({ devTokens: options.devTokens, fail }));
  app.use((req, res) => fail(req, res, new NotFoundError('No such route.')));
  return app;
}

async function handle(
  core: Core,
  state: AppState,
  metrics: Metrics,
  op: Operation,
  req: Request,
  res: Response,
): Promise<void> {
  const started = performance.now();
  const requestId = requestIdOf(req);
  if (state.draining) res.setHeader('connection', 'close');
  let result: OperationResult & { error?: unknown };
  try {
    const limit = op.body.kind === 'image' ? core.limits.maxImageBytes + MULTIPART_OVERHEAD : JSON_BODY_LIMIT;
    const body =
      op.body.kind === 'none'
        ? Buffer.alloc(0)
        : await readBody(req, limit, op.body.kind === 'image' ? 'image' : 'body');
    result = await dispatch(
      core,
      op,
      {
        params: req.params as Record<string, string>,
        query: req.query as Record<string, string>,
        headers: req.headers as Record<string, string>,
        body,
      },
      requestId,
    );
  } catch (error) {
    // Only the body reader throws here (size or a broken connection): stop reading, answer, close.
    res.setHeader('connection', 'close');
    result = { ...toErrorResponse(error, requestId), error };
  }
  send(res, requestId, result);
  const durationMs = Math.round((performance.now() - started) * 100) / 100;
  const entry = { requestId, operation: op.id, method: op.method, status: result.status, durationMs };
  const code =
    result.error === undefined ? undefined : (result.body as { error: { code: string } }).error.code;
  recordRequest(metrics, { operation: op.id, status: result.status, code, durationMs });
  metrics.flush();
  if (result.error === undefined) {
    core.logger.info(entry, 'request');
    return;
  }
  // Only an unexpected failure earns a stack trace; a 503 is a known, retryable state.
  if (result.status === 500) core.logger.error({ ...entry, code, err: result.error }, 'request failed');
  else if (result.status >= 500) core.logger.warn({ ...entry, code }, 'request refused');
  else core.logger.info({ ...entry, code }, 'request');
}

function send(res: Response, requestId: string, result: OperationResult): void {
  res.status(result.status);
  res.setHeader('x-request-id', requestId);
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  if (result.body === undefined) res.end();
  else res.json(result.body);
}

const REQUEST_ID = /^[\w.-]{1,128}$/;

/** A caller's (or the load balancer's) id is kept when it is sane, so logs join up end to end. */
function requestIdOf(req: Request): string {
  const cached = (req as Request & { requestId?: string }).requestId;
  if (cached) return cached;
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  (req as Request & { requestId?: string }).requestId = id;
  return id;
}
