import { createServer, type Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { DevTokens } from '../shared/composition/dev-tokens.js';
import type { Core } from '../shared/core.js';
import { BadRequestError, HeadersTooLargeError, RequestTimeoutError } from '../shared/errors.js';
import { openApiRoute } from '../shared/http/document-route.js';
import { createPipeline } from '../shared/http/pipeline.js';
import { ProcessMetrics } from '../shared/observability/recorder.js';
import { logRequestLines, type RequestSink } from '../shared/observability/request-line.js';
import { send, toPipelineRequest } from './node-http.js';
import { devTokenRoute, sitePage } from './site.js';

export interface ServerTimeouts {
  /** All request headers must arrive within this after the request starts. */
  headersTimeoutMs: number;
  /** The whole request must arrive within this; a backstop behind the body's own deadline. */
  requestTimeoutMs: number;
  /** How often Node checks the two above; a timeout fires up to this much late. */
  checkIntervalMs: number;
  /** Idle kept-alive connections live this long. */
  keepAliveTimeoutMs: number;
}

/**
 * Constants rather than configuration (shared/config has no transport section). Headers are a few
 * hundred bytes: 20 s is generous on any network and ends a slowloris-style trickle. The request
 * backstop sits past the 60 s body deadline (BODY_TIMEOUT_MS), which answers first with the API's
 * JSON body. Behind an ALB (idle timeout 60 s) kept-alive connections must outlive the balancer's,
 * or it reuses one the server is closing and answers 502.
 */
export const SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 90_000,
  checkIntervalMs: 1_000,
  keepAliveTimeoutMs: 65_000,
};

/**
 * The whole body must arrive within this (a body-read deadline, not an idle timeout, so a client
 * trickling a byte now and then cannot hold the connection either). 60 s carries MAX_IMAGE_BYTES'
 * default 5 MiB at about 700 kbit/s; the mobile app shrinks photos before upload.
 */
export const BODY_TIMEOUT_MS = 60_000;

export interface AppState {
  /** Set on SIGTERM: every answer from then on carries Connection: close. */
  draining: boolean;
}

export interface ServerOptions {
  state?: AppState;
  /** The ProcessMetrics the core was composed with, so its start-up records land on the next request line. */
  metrics?: ProcessMetrics;
  /** Where the request lines go. Default: through the core's logger. */
  requestLines?: RequestSink;
  /** Only with the dev identity: serves GET /dev/token for the try-it page. */
  devTokens?: DevTokens | undefined;
  /** Default BODY_TIMEOUT_MS. */
  bodyTimeoutMs?: number;
  /** Default SERVER_TIMEOUTS. */
  timeouts?: ServerTimeouts;
}

const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'HPE_INVALID_EOF_STATE']);

type PendingSocket = Socket & { _httpMessage?: { headersSent?: boolean } };

/**
 * The Beanstalk adapter: the shared pipeline behind a Node HTTP server with bounded header and request
 * times, and Express for the try-it page's files. What Node refuses before a request reaches the
 * pipeline (a timeout, headers too large, bytes that are not HTTP) and a request target Express cannot
 * route are answered by the pipeline too, with the API's JSON error body and a request id, instead of a
 * bare status line or Express's HTML page.
 */
export function createHttpServer(core: Core, options: ServerOptions = {}): Server {
  const { state = { draining: false }, devTokens, timeouts = SERVER_TIMEOUTS } = options;
  const pipeline = createPipeline({
    core: () => core,
    extraRoutes: devTokens ? [openApiRoute, devTokenRoute(devTokens)] : [openApiRoute],
    metrics: options.metrics ?? new ProcessMetrics(),
    sink: options.requestLines ?? logRequestLines(core.logger),
  });
  const bodyTimeoutMs = options.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
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

  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    },
    (req, res) => {
      const target = originForm(req.url ?? '');
      if (target !== undefined) {
        req.url = target;
        app(req, res);
        return;
      }
      const refusal = new BadRequestError('MALFORMED_REQUEST', 'The request is not valid HTTP.');
      const from = { method: req.method, headers: req.headers as Record<string, string | undefined> };
      send(res, pipeline.refuse(refusal, 'clientError', from), true);
    },
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: PendingSocket) => {
    // A connection whose answer has started can take no other answer.
    if (!socket.writable || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    // A reset or a connection that ended mid-message is the client leaving, not a new request: a request
    // it left mid-body is already reported by the pipeline, as 499. One that only half-closed still
    // reads, so it is answered, but not reported a second time.
    const report = !CLIENT_GONE.has(error.code ?? '');
    const answer = pipeline.refuse(clientError(error), 'clientError', {}, { report });
    const body = typeof answer.body === 'string' ? answer.body : '';
    let head = `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Error'}\r\n`;
    for (const [name, value] of Object.entries(answer.headers)) head += `${name}: ${value}\r\n`;
    socket.end(`${head}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  return server;
}

const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * The request target as a path and query, as the router expects it. An absolute-form target
 * (`GET http://host/path`, what a proxy is sent) becomes its path and query, left as it came; one whose
 * URL does not parse, and any other form (`*`, a bare word), is undefined: Express's router parses
 * targets with the legacy url.parse, which throws on a bad host (`http://[::1/x`) and leaves the
 * request to its HTML 404, with a deprecation warning on stderr.
 */
export function originForm(target: string): string | undefined {
  if (target.startsWith('/')) return target;
  const authority = ABSOLUTE_FORM.exec(target)?.[0];
  if (authority === undefined || !URL.canParse(target)) return undefined;
  const rest = target.slice(authority.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

function clientError(error: NodeJS.ErrnoException): Error {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new RequestTimeoutError();
  if (error.code === 'HPE_HEADER_OVERFLOW') return new HeadersTooLargeError();
  return new BadRequestError('MALFORMED_REQUEST', 'The request is not valid HTTP.');
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
