import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHttpServer } from '../../eb-compat/http-server.js';
import { loadOrCreateDevKeys, mintDevToken } from '../../shared/adapters/identity/dev-keys.js';
import { composeRuntime, type Runtime } from '../../shared/compose.js';
import { openDevTokens } from '../../shared/composition/dev-tokens.js';
import { type Config, loadConfig } from '../../shared/config.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { ProcessMetrics } from '../../shared/observability/recorder.js';
import type { RequestSink } from '../../shared/observability/request-line.js';
import type { Logger } from '../../shared/ports/logger.js';

export interface TestApp {
  url: string;
  runtime: Runtime;
  token(userId: string, options?: { expiresIn?: string; audience?: string }): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Default: silent. */
  logger?: Logger;
  /** Default: through the logger. */
  requestLines?: RequestSink;
}

/** The embedded defaults' configuration, over a data directory of its own (the dev key is made there). */
export async function testConfig(
  env: Record<string, string> = {},
): Promise<{ config: Config; dataDir: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pettracker-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PGLITE_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    // The tiny placeholder model loads in milliseconds; tests that need real answers set MODEL_URI.
    MODEL_URI: 'models/placeholder',
    // A shared Redis keeps entries across runs: each test app reads only its own.
    CACHE_KEY_PREFIX: `pettracker-test:${path.basename(dataDir)}:`,
    ...env,
  });
  return { config, dataDir };
}

/**
 * The Express runtime on embedded defaults (in-memory PGlite, memory cache, placeholder model), wired
 * as eb-compat/main.ts wires it: one ProcessMetrics for the core and the server, the dev token route on.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const { config, dataDir } = await testConfig(env);
  const metrics = new ProcessMetrics();
  const runtime = await composeRuntime(config, options.logger ?? silentLogger(), { metrics });
  await runtime.modelReady;
  const devTokens = await openDevTokens(config.auth);
  // The server main.ts runs: its timeouts and its answers to requests Node itself refuses.
  const { requestLines } = options;
  const server: Server = createHttpServer(runtime.core, { metrics, requestLines, devTokens });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  if (config.auth.kind !== 'dev') throw new Error('test app expects the dev identity');
  const auth = config.auth;
  const keys = await loadOrCreateDevKeys(auth.keyFile);
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    token: (userId, options) =>
      mintDevToken(keys, userId, {
        issuer: auth.issuer,
        audience: options?.audience ?? auth.audience,
        expiresIn: options?.expiresIn ?? '1h',
      }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
