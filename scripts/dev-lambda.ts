/**
 * npm run dev:lambda: the Lambda functions over HTTP with serverless-offline, as they are bundled for
 * AWS (serverless-esbuild), on embedded defaults: the RDS Data API emulator over PGlite (or over
 * DATABASE_URL's PostgreSQL), the memory cache, the bundled placeholder model, and the dev signing
 * key published as a JWKS, so tokens go through the same remote-JWKS check as the functions use on AWS
 * when a request has no authorizer claims (here: serverless-offline runs without authorizers).
 * Migrations run the way a deploy runs them: by invoking the migrate function.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { loadOrCreateDevKeys, mintDevToken } from '../shared/adapters/identity/dev-keys.js';
import { loadConfig, projectRoot } from '../shared/config.js';
import { startDataApiEmulator } from '../tools/local-aws/data-api/server.js';
import { startJwksServer } from './dev-lambda-jwks.js';

const PORT = Number(process.env.PORT ?? 3000);
const LAMBDA_PORT = Number(process.env.LAMBDA_PORT ?? 3002);
// The JWKS port is part of the issuer, so of every token printed: fixed, a token outlives a restart.
const DATA_API_PORT = Number(process.env.DATA_API_PORT ?? 4010);
const JWKS_PORT = Number(process.env.JWKS_PORT ?? 4013);
const AUDIENCE = 'pettracker';

const base = loadConfig();
if (base.auth.kind !== 'dev') throw new Error('dev:lambda signs its own tokens: unset JWT_JWKS_URL.');
const postgresUrl = base.store.kind === 'pg' ? base.store.url : undefined;
const dataApi = await startDataApiEmulator({
  port: DATA_API_PORT,
  host: '127.0.0.1',
  ...(postgresUrl
    ? { databaseUrl: postgresUrl }
    : { pglite: { dataDir: path.join(base.dataDir, 'data-api') } }),
});
const keys = await loadOrCreateDevKeys(base.auth.keyFile);
const jwks = await startJwksServer(keys, JWKS_PORT);
const database = postgresUrl ? new URL(postgresUrl).pathname.slice(1) || 'postgres' : 'pettracker';

// Stand-ins for what AWS stages read from SSM; nothing here reaches AWS.
const params = {
  auroraClusterArn: 'arn:aws:rds:us-east-1:000000000000:cluster:pettracker-local',
  auroraSecretArn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:pettracker/local/db',
  databaseName: database,
  upstashUrl: 'http://127.0.0.1:0/unused',
  upstashTokenSecretArn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:pettracker/local/unused',
  modelBucket: 'unused',
  modelUri: 'models/placeholder',
  jwtIssuer: jwks.issuer,
  jwtAudience: AUDIENCE,
  // serverless-offline decodes any bearer token into the authorizer claims without verifying it.
  trustAuthorizerClaims: 'false',
};
const offline = spawn(
  process.execPath,
  [
    path.join(projectRoot, 'node_modules/serverless/bin/serverless.js'),
    'offline',
    'start',
    '--stage',
    'local',
    // Passes the variables below to the handlers; serverless.yml's environment still wins.
    '--localEnvironment',
    // v13 cannot verify an HTTP API JWT authorizer (it throws at start unless told to skip the
    // signature); with no authorizer the functions get no claims and verify the token themselves.
    '--noAuth',
    ...Object.entries(params).map(([name, value]) => `--param=${name}=${value}`),
  ],
  {
    cwd: projectRoot,
    stdio: 'inherit',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(PORT),
      LAMBDA_PORT: String(LAMBDA_PORT),
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      DATA_API_ENDPOINT: dataApi.url,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'us-east-1',
      // Not in serverless.yml's environment, so these choose the embedded cache and no secrets.
      CACHE: 'memory',
      SECRETS: 'env',
      ...(process.env.PETTRACKER_ESBUILD_WORK_FOLDER
        ? { PETTRACKER_ESBUILD_WORK_FOLDER: process.env.PETTRACKER_ESBUILD_WORK_FOLDER }
        : {}),
    },
  },
);

async function shutdown(code: number): Promise<never> {
  offline.kill('SIGINT');
  await Promise.allSettled([dataApi.close(), jwks.close()]);
  process.exit(code);
}
offline.once('exit', (code) => void shutdown(code ?? 1));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(0));

try {
  await start();
} catch (error) {
  console.error(`[dev:lambda] ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}

/**
 * Up means answering as the API answers, not merely answering: serverless-offline turns a function that
 * threw into a 200 carrying the error and its stack trace, so a status alone proves nothing.
 */
async function start(): Promise<void> {
  await waitFor(`http://localhost:${PORT}/health`, (body) => body.status === 'ok', 180_000);
  const migrate = await fetch(
    `http://localhost:${LAMBDA_PORT}/2015-03-31/functions/pettracker-local-migrate/invocations`,
    { method: 'POST', body: '{}' },
  );
  const migrated = await migrate.text();
  const result = parseJson(migrated);
  if (!migrate.ok || !result || 'errorMessage' in result) throw new Error(`migrate failed: ${migrated}`);
  console.log(`[dev:lambda] migrate: ${migrated}`);
  await waitFor(`http://localhost:${PORT}/ready`, (body) => body.status === 'ready', 30_000);
  const token = await mintDevToken(keys, 'alice', {
    issuer: jwks.issuer,
    audience: AUDIENCE,
    expiresIn: '12h',
  });
  console.log(
    `[dev:lambda] API on http://localhost:${PORT} (Data API emulator ${dataApi.url}, JWKS ${jwks.issuer})`,
  );
  console.log(`[dev:lambda] a 12-hour token for "alice":\n${token}`);
  console.log(`[dev:lambda] curl -s -F image=@cat.jpg localhost:${PORT}/predict`);
}

/** Polls until `url` answers 200 with a body `expected` accepts; a function's error ends the wait at once. */
async function waitFor(
  url: string,
  expected: (body: Record<string, unknown>) => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const answer = await fetch(url).then(
      async (res) => ({ status: res.status, text: await res.text() }),
      () => undefined,
    );
    if (answer) {
      last = `${answer.status} ${answer.text}`;
      const body = parseJson(answer.text);
      if (body && 'errorMessage' in body) throw new Error(`${url} failed: ${last}`);
      if (answer.status === 200 && body && expected(body)) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer as the API within ${timeoutMs} ms; last: ${last}`);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
