import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Logger } from '../shared/ports/logger.js';
import type { AppState } from './http-server.js';

/**
 * How long a kept-alive connection that is idle at the signal stays open. A client that has just read
 * an answer sends its next request on the same connection within milliseconds, and that request may
 * already sit unread in the socket's buffer while the server is busy: closing the connection at the
 * signal resets it. Within the grace it is answered, with `Connection: close`.
 */
export const IDLE_GRACE_MS = 1_000;

export interface DrainOptions {
  server: Server;
  state: AppState;
  logger: Logger;
  /** In-flight requests may take this long; then every connection is closed. */
  timeoutMs: number;
  /** Default IDLE_GRACE_MS (never past timeoutMs). */
  idleGraceMs?: number;
}

export interface ShutdownOptions extends DrainOptions {
  /** Closes the store, the cache and the model once no request is left. */
  release(): Promise<void>;
}

/**
 * Stops accepting connections and resolves once every open one has closed: requests in flight finish,
 * and every answer from now on carries `Connection: close` (state.draining), so a client learns from
 * its answer, not from a reset, that the connection ends. Connections idle at the start are closed
 * after the grace, any connection left at timeoutMs.
 */
export function drain(options: DrainOptions): Promise<void> {
  const { server, state, logger, timeoutMs } = options;
  state.draining = true;
  // A connection that goes idle from now on has answered with Connection: close and is closing; one
  // that does not (a page file) closes after the grace.
  server.keepAliveTimeout = Math.min(options.idleGraceMs ?? IDLE_GRACE_MS, timeoutMs);
  const idle = setTimeout(() => server.closeIdleConnections(), server.keepAliveTimeout);
  const stuck = setTimeout(() => {
    logger.warn({ timeoutMs }, 'shutdown timed out; closing remaining connections');
    server.closeAllConnections();
  }, timeoutMs);
  return new Promise<void>((resolve) => {
    // http.Server#close also closes the idle connections at once (Node 19+), the reset the grace avoids;
    // net.Server#close only stops listening, and calls back once the last connection has closed.
    NetServer.prototype.close.call(server, () => {
      clearTimeout(idle);
      clearTimeout(stuck);
      resolve();
    });
  });
}

/**
 * SIGTERM (Beanstalk's deploys and scale-ins, Ctrl-C locally): drain the server, close the store, the
 * cache and the model, exit 0.
 */
export function shutdownOnSignals(options: ShutdownOptions): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.logger.info({ signal }, 'shutting down: draining in-flight requests');
    await drain(options);
    await options.release();
    options.logger.info({}, 'shutdown complete');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
