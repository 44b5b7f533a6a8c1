import { randomUUID } from 'node:crypto';
import { createServer, type Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import { recordRequest } from '../shared/adapters/metrics/request-metrics.js';
import { toErrorResponse } from '../shared/error-response.js';
import { BadRequestError, HeadersTooLargeError, RequestTimeoutError } from '../shared/errors.js';
import { logRequest } from '../shared/http/request-log.js';
import type { Logger } from '../shared/ports/logger.js';
import { type Metrics, noMetrics } from '../shared/ports/metrics.js';

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
 * before the app sees a request (a timeout, headers too large, bytes that are not HTTP) is answered
 * with the API's JSON error body and a request id, logged and metered, instead of a bare status line.
 */
export function createHttpServer(
  app: Express,
  sinks: { logger: Logger; metrics?: Metrics },
  timeouts: ServerTimeouts = SERVER_TIMEOUTS,
): Server {
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    },
    app,
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: PendingSocket) => {
    const requestId = randomUUID();
    const refusal = clientError(error);
    const mapped = toErrorResponse(refusal, requestId);
    // A reset or a connection that ended mid-message is the client leaving, not a new request: a request
    // it left mid-body is already logged by the app, as 499. One that only half-closed still reads.
    if (!CLIENT_GONE.has(error.code ?? '')) {
      const { status } = mapped;
      const code = mapped.body.error.code;
      logRequest(sinks.logger, {
        requestId,
        operation: 'clientError',
        method: '-',
        status,
        durationMs: 0,
        code,
        error: refusal,
      });
      recordRequest(sinks.metrics ?? noMetrics, { operation: 'clientError', status, code, durationMs: 0 });
    }
    // A connection whose answer has started can take no other answer.
    if (!socket.writable || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify(mapped.body);
    socket.end(
      `HTTP/1.1 ${mapped.status} ${STATUS_CODES[mapped.status] ?? 'Error'}\r\n` +
        'content-type: application/json; charset=utf-8\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${requestId}\r\n` +
        'connection: close\r\n\r\n' +
        body,
    );
  });
  return server;
}

function clientError(error: NodeJS.ErrnoException): Error {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new RequestTimeoutError();
  if (error.code === 'HPE_HEADER_OVERFLOW') return new HeadersTooLargeError();
  return new BadRequestError('MALFORMED_REQUEST', 'The request is not valid HTTP.');
}
