/**
 * The Express runtime's entry point: `npm start` locally, the Procfile's command on Beanstalk.
 * It listens as soon as the store is open; /ready turns 200 once the model is loaded and warm.
 */
import { composeRuntime } from '../shared/compose.js';
import { openDevTokens } from '../shared/composition/dev-tokens.js';
import { ConfigError, loadConfig } from '../shared/config.js';
import { bufferedStdout, createLogger } from '../shared/observability/logger.js';
import { ProcessMetrics } from '../shared/observability/recorder.js';
import { logRequestLines } from '../shared/observability/request-line.js';
import { shutdownOnSignals } from './graceful-shutdown.js';
import { type AppState, createHttpServer } from './http-server.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const stdout = bufferedStdout();
  const logger = createLogger(config.logLevel, stdout);
  // Beanstalk streams lines to CloudWatch Logs without EMF extraction: each request's metrics are
  // fields of its one JSON line (ColdStart and ModelLoadMs ride on the first one).
  const metrics = new ProcessMetrics();
  const runtime = await composeRuntime(config, logger, { metrics, modelWorkers: config.model.workers });
  const state: AppState = { draining: false };
  const devTokens = await openDevTokens(config.auth);
  const requestLines = logRequestLines(logger, createLogger(config.logLevel, stdout, { redact: false }));
  // Header, body and keep-alive timeouts: see SERVER_TIMEOUTS and BODY_TIMEOUT_MS.
  const server = createHttpServer(runtime.core, { state, metrics, requestLines, devTokens });
  server.listen(config.port, config.host);
  server.once('listening', () => {
    logger.info(
      { port: config.port, store: config.store.kind, cache: config.cache.kind, auth: config.auth.kind },
      `pettracker listening on http://localhost:${config.port}`,
    );
  });
  shutdownOnSignals({ server, state, logger, timeoutMs: config.shutdownTimeoutMs, release: runtime.close });
  runtime.modelReady.catch(() => process.exit(1));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
