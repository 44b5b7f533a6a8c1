import express, { type NextFunction, type Request, type Response } from 'express';
import { alsoInto } from '../shared/adapters/metrics/request-lines.js';
import { ProcessMetrics } from '../shared/adapters/metrics/request-recorder.js';
import type { DevTokens } from '../shared/composition/dev-tokens.js';
import type { Core } from '../shared/core.js';
import { BadRequestError } from '../shared/errors.js';
import { openApiRoute } from '../shared/http/document-route.js';
import { createPipeline, type Pipeline } from '../shared/http/pipeline.js';
import { serverRequestLines } from '../shared/http/request-sink.js';
import type { Metrics } from '../shared/ports/metrics.js';
import { send, toPipelineRequest } from './answer.js';
import { devTokenRoute, sitePage } from './site.js';

/**
 * The whole body must arrive within this (a body-read deadline, not an idle timeout, so a client
 * trickling a byte now and then cannot hold the connection either). 60 s carries MAX_IMAGE_BYTES'
 * default 5 MiB at about 700 kbit/s; the mobile app shrinks photos before upload. A constant, not
 * configuration: shared/config has no transport section (yet).
 */
export const BODY_TIMEOUT_MS = 60_000;

export interface AppState {
  /** Set on SIGTERM: every answer from then on carries Connection: close. */
  draining: boolean;
}

export interface AppOptions {
  /**
   * The ProcessMetrics the core was composed with, so its start-up records (model load time) land on
   * the next request line. Any other Metrics is fed every request's records as well (tests record them).
   */
  metrics?: Metrics;
  /** Only with the dev identity: serves GET /dev/token for the try-it page. */
  devTokens?: DevTokens | undefined;
  /** Default BODY_TIMEOUT_MS; tests shorten it. */
  bodyTimeoutMs?: number;
}

/**
 * The Beanstalk adapter: Express in front of the shared pipeline. Express serves the try-it page's
 * files; every other request is translated to the pipeline's terms and its answer written back.
 */
export function createApp(
  core: Core,
  state: AppState = { draining: false },
  options: AppOptions = {},
): express.Express {
  const processMetrics = options.metrics instanceof ProcessMetrics ? options.metrics : new ProcessMetrics();
  const lines = serverRequestLines(core.logger);
  const extra = options.metrics !== undefined && options.metrics !== processMetrics;
  const pipeline = createPipeline({
    core: () => core,
    extraRoutes: options.devTokens ? [openApiRoute, devTokenRoute(options.devTokens)] : [openApiRoute],
    metrics: processMetrics,
    sink: extra ? alsoInto(options.metrics as Metrics, lines) : lines,
  });
  const bodyTimeoutMs = options.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.locals.pipeline = pipeline;
  app.use(sitePage());
  app.use((req: Request, res: Response) => {
    pipeline
      .handle(toPipelineRequest(req, bodyTimeoutMs))
      .then((answer) => send(res, answer, state.draining));
  });
  // The last word on anything the framework itself throws: never Express's HTML page or a stack trace.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    send(res, pipeline.refuse(frameworkError(error), 'notFound'), true);
  });
  return app;
}

/** The pipeline behind an app made by createApp, for the server's answers to what Node refuses. */
export function pipelineOf(app: express.Express): Pipeline {
  return app.locals.pipeline as Pipeline;
}

/** Express's own 4xx errors (a static file's malformed path) in the API's terms. */
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
