/**
 * npm run dev:aws-local: the API on its production adapters (RDS Data API store, Upstash cache,
 * Secrets Manager secrets), with the three AWS-side services emulated on this machine over the
 * local PostgreSQL and Redis (DATABASE_URL / REDIS_URL; PGlite behind the Data API without a server).
 */
import { shutdownOnSignals } from '../eb-compat/graceful-shutdown.js';
import { type AppState, createHttpServer } from '../eb-compat/http-server.js';
import { composeRuntime } from '../shared/compose.js';
import { loadConfig } from '../shared/config.js';
import { createLogger } from '../shared/observability/logger.js';
import { startLocalAws } from '../tools/local-aws/start-local-aws.js';

// The emulators sit on the services the plain configuration names: DATABASE_URL's server (PGlite when
// unset) and REDIS_URL (default the local Redis).
const base = loadConfig();
const postgresUrl = base.store.kind === 'pg' ? base.store.url : undefined;
const database = postgresUrl ? new URL(postgresUrl).pathname.slice(1) || 'postgres' : 'pettracker';
const aws = await startLocalAws({
  postgresUrl,
  pgliteDir: `${base.dataDir}/data-api`,
  database,
  redisUrl: base.cache.kind === 'redis' ? base.cache.url : 'redis://127.0.0.1:6379',
  ports: { dataApi: 4010, upstash: 4011, secretsManager: 4012 },
});
const config = loadConfig({ ...process.env, MIGRATE_ON_START: 'true', ...aws.env, DATABASE_URL: '' });
const logger = createLogger(config.logLevel);
logger.info(
  { dataApi: aws.dataApi.url, upstash: aws.upstash.url, secretsManager: aws.secretsManager.url, database },
  'local AWS emulators started',
);
const runtime = await composeRuntime(config, logger);
const state: AppState = { draining: false };
const server = createHttpServer(runtime.core, { state }).listen(config.port, config.host);
server.once('listening', () =>
  logger.info(
    {
      port: config.port,
      faults: `curl -X POST ${aws.dataApi.url}/_emulator/faults -d '{"type":"DatabaseResumingException","durationMs":15000}'`,
    },
    `pettracker (Data API + Upstash + Secrets Manager) on http://localhost:${config.port}`,
  ),
);
shutdownOnSignals({
  server,
  state,
  logger,
  timeoutMs: config.shutdownTimeoutMs,
  release: async () => {
    await runtime.close();
    await aws.close();
  },
});
