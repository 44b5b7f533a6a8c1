/**
 * The Express runtime's entry point: `npm start` locally, the Procfile's command on Beanstalk.
 * It listens as soon as the store is open; /ready turns 200 once the model is loaded and warm.
 */
import { composeRuntime } from '../shared/compose.js';
import { ConfigError, loadConfig } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { type AppState, createApp } from './app.js';
import { shutdownOnSignals } from './graceful-shutdown.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const runtime = await composeRuntime(config, logger);
  const state: AppState = { draining: false };
  const server = createApp(runtime.core, state).listen(config.port, config.host);
  // Behind an ALB (idle timeout 60 s) the server must keep connections open longer than the balancer.
  server.keepAliveTimeout = 65_000;
  server.once('listening', () =>
    logger.info(
      { port: config.port, store: config.store.kind, cache: config.cache.kind, auth: config.auth.kind },
      `pettracker listening on http://localhost:${config.port}`,
    ),
  );
  shutdownOnSignals({ server, state, logger, timeoutMs: config.shutdownTimeoutMs, release: runtime.close });
  runtime.modelReady.catch(() => process.exit(1));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
