import type { Server } from 'node:http';
import type { Logger } from '../shared/ports/logger.js';
import type { AppState } from './app.js';

export interface ShutdownOptions {
  server: Server;
  state: AppState;
  logger: Logger;
  timeoutMs: number;
  /** Closes the store, the cache and the model once no request is left. */
  release(): Promise<void>;
}

/**
 * SIGTERM (Beanstalk's deploys and scale-ins, Ctrl-C locally): stop accepting connections, let
 * in-flight requests finish, answer any that still arrive on kept-alive connections with
 * `Connection: close`, close the pool, exit 0. A stuck request cannot hold the exit past timeoutMs.
 */
export function shutdownOnSignals(options: ShutdownOptions): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.state.draining = true;
    options.logger.info({ signal }, 'shutting down: draining in-flight requests');
    const timer = setTimeout(() => {
      options.logger.warn(
        { timeoutMs: options.timeoutMs },
        'shutdown timed out; closing remaining connections',
      );
      options.server.closeAllConnections();
    }, options.timeoutMs);
    timer.unref();
    await new Promise<void>((resolve) => {
      options.server.close(() => resolve());
      // Idle keep-alive sockets would otherwise hold close() open until their own timeout.
      options.server.closeIdleConnections();
    });
    clearTimeout(timer);
    await options.release();
    options.logger.info({}, 'shutdown complete');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
