import { createServer, type Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import {
  BadRequestError,
  HeadersTooLargeError,
  RequestTimeoutError,
  toErrorResponse,
} from '../shared/errors.js';
import { CORS_HEADERS } from '../shared/http/cors.js';
import { requestIdOf } from '../shared/http/request-id.js';
import { SECURITY_HEADERS } from '../shared/http/security-headers.js';
import { send } from './answer.js';
import { pipelineOf } from './app.js';

export interface ServerTimeouts {
  /** All request headers must arrive within this after the request starts. */
  headersTimeoutMs: number;
  /** The whole request must arrive within this; a backstop behind the app's own body deadline. */
  requestTimeoutMs: number;
  /** How often Node checks the two above; a timeout fires up to this much late. */
  checkIntervalMs: number;
  /** Idle kept-alive connections live this long. */
  keepAliveTimeoutMs: number;
}

/**
 * Constants rather than configuration (shared/config has no transport section). Headers are a few
 * hundred bytes: 20 s is generous on any network and ends a slowloris-style trickle. The request
 * backstop sits past the app's 60 s body deadline (BODY_TIMEOUT_MS), which answers first with the
 * API's JSON body. Behind an ALB (idle timeout 60 s) kept-alive connections must outlive the
 * balancer's, or it reuses one the server is closing and answers 502.
 */
export const SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 90_000,
  checkIntervalMs: 1_000,
  keepAliveTimeoutMs: 65_000,
};

const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'HPE_INVALID_EOF_STATE']);

type PendingSocket = Socket & { _httpMessage?: { headersSent?: boolean } };

/**
 * The Express app on a Node HTTP server with bounded header and request times. What Node refuses
 * before the app sees a request (a timeout, headers too large, bytes that are not HTTP) and a request
 * target Express cannot route are answered with the API's JSON error body and a request id, reported
 * by the app's pipeline, instead of a bare status line or Express's HTML page.
 */
export function createHttpServer(app: Express, timeouts: ServerTimeouts = SERVER_TIMEOUTS): Server {
  const pipeline = pipelineOf(app);
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
    const refusal = clientError(error);
    const answer = CLIENT_GONE.has(error.code ?? '')
      ? unreported(refusal)
      : pipeline.refuse(refusal, 'clientError');
    const body = typeof answer.body === 'string' ? answer.body : '';
    answer.headers['content-type'] ??= 'application/json; charset=utf-8';
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

function unreported(error: Error): { status: number; headers: Record<string, string>; body: string } {
  const requestId = requestIdOf(undefined);
  const mapped = toErrorResponse(error, requestId);
  const headers = { 'x-request-id': requestId, ...CORS_HEADERS, ...SECURITY_HEADERS };
  return { status: mapped.status, headers, body: JSON.stringify(mapped.body) };
}

function clientError(error: NodeJS.ErrnoException): Error {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new RequestTimeoutError();
  if (error.code === 'HPE_HEADER_OVERFLOW') return new HeadersTooLargeError();
  return new BadRequestError('MALFORMED_REQUEST', 'The request is not valid HTTP.');
}
