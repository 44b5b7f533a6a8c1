import express, { type NextFunction, type Request, type Response } from 'express';
import type { DevTokens } from '../shared/composition/dev-tokens.js';
import type { Core } from '../shared/core.js';
import { toErrorResponse } from '../shared/error-response.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import { bodyLimit } from '../shared/http/body-limits.js';
import { dispatch } from '../shared/http/dispatch.js';
import type { Operation, OperationResult } from '../shared/http/operation.js';
import { operations } from '../shared/http/operations.js';
import { assertWellFormedPath, methodNotAllowed } from '../shared/http/request-path.js';
import { type Metrics, noMetrics } from '../shared/ports/metrics.js';
import { answer, requestIdOf, type Sinks } from './answer.js';
import { readBody } from './read-body.js';
import { siteRoutes } from './site.js';

// Kept for the Beanstalk bundle's nginx limit, which adds the same framing allowance.
export { MULTIPART_OVERHEAD } from '../shared/http/body-limits.js';

/**
 * The whole body must arrive within this (a body-read deadline, not an idle timeout, so a client
 * trickling a byte now and then cannot hold the connection either). 60 s carries MAX_IMAGE_BYTES'
 * default 5 MiB at about 700 kbit/s; the mobile app shrinks photos before upload. A constant, not
 * configuration: shared/config has no transport section (yet).
 */
export const BODY_TIMEOUT_MS = 60_000;

export interface AppState {
  /** Set on SIGTERM: requests arriving on kept-alive connections are refused. */
  draining: boolean;
}

export interface AppOptions {
  /** Request metrics (RequestMs, ClientError/ServerError by code); the core's wrappers record the rest. */
  metrics?: Metrics;
  /** Only with the dev identity: serves GET /dev/token for the try-it page. */
  devTokens?: DevTokens | undefined;
  /** Default BODY_TIMEOUT_MS; tests shorten it. */
  bodyTimeoutMs?: number;
}

/** The Express runtime: each entry of the operation table becomes one route, nothing more. */
export function createApp(
  core: Core,
  state: AppState = { draining: false },
  options: AppOptions = {},
): express.Express {
  const sinks: Sinks = { logger: core.logger, metrics: options.metrics ?? noMetrics };
  const bodyTimeoutMs = options.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  // Answers outside the table (unknown routes, wrong methods, malformed paths) are logged and metered
  // like the table's own, under one operation name, as the Lambda $default function does.
  const fail = (req: Request, res: Response, error: unknown) =>
    answer(sinks, req, res, 'notFound', { ...toErrorResponse(error, requestIdOf(req)), error });

  app.use((req, res, next) => {
    (req as Request & { startedAt?: number }).startedAt = performance.now();
    try {
      assertWellFormedPath(req.path);
    } catch (error) {
      fail(req, res, error);
      return;
    }
    next();
  });
  for (const op of operations) {
    const route = op.path.replace(/\{(\w+)\}/g, ':$1');
    app[op.method === 'DELETE' ? 'delete' : op.method === 'POST' ? 'post' : 'get'](route, (req, res) =>
      handle(core, state, sinks, bodyTimeoutMs, op, req, res),
    );
  }
  const paths = new Map<string, Operation[]>();
  for (const op of operations) {
    const route = op.path.replace(/\{(\w+)\}/g, ':$1');
    paths.set(route, [...(paths.get(route) ?? []), op]);
  }
  for (const [route, ops] of paths) app.all(route, (req, res) => fail(req, res, methodNotAllowed(ops)));
  // After the table's routes, so an API request never touches the file system.
  app.use(siteRoutes({ devTokens: options.devTokens, fail }));
  app.use((req, res) => fail(req, res, new NotFoundError('No such route.')));
  // The last word on anything the framework itself throws: never Express's HTML page or a stack trace.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    fail(req, res, frameworkError(error));
  });
  return app;
}

/** Express's own 4xx errors (its router's URIError for a malformed parameter) in the API's terms. */
function frameworkError(error: unknown): unknown {
  if (error instanceof URIError) {
    return new BadRequestError('MALFORMED_URL', 'The request path has a malformed percent-escape.');
  }
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new BadRequestError('MALFORMED_REQUEST', 'The request could not be understood.');
  }
  return error;
}

async function handle(
  core: Core,
  state: AppState,
  sinks: Sinks,
  bodyTimeoutMs: number,
  op: Operation,
  req: Request,
  res: Response,
): Promise<void> {
  const requestId = requestIdOf(req);
  if (state.draining) res.setHeader('connection', 'close');
  let result: OperationResult & { error?: unknown };
  try {
    const limit = bodyLimit(op, core.limits.maxImageBytes);
    const body =
      op.body.kind === 'none' ? Buffer.alloc(0) : await readBody(req, { limit, timeoutMs: bodyTimeoutMs });
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
    // Only the body reader throws here (size, deadline, a client gone): stop reading, answer, close.
    res.setHeader('connection', 'close');
    result = { ...toErrorResponse(error, requestId), error };
  }
  answer(sinks, req, res, op.id, result);
}
