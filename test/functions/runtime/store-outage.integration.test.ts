import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpHandler, httpFunction } from '../../../functions/runtime/http-function.js';
import { type DataApiEmulator, startDataApiEmulator } from '../../../tools/local-aws/data-api/server.js';
import { dataApiStoreEnv, databaseNameOf } from '../../support/data-api.js';
import { httpApiEvent } from '../../support/lambda/http-api-event.js';
import { lambdaContext } from '../../support/lambda/lambda-target.js';
import {
  createTempDatabase,
  PG_TEST_URL,
  postgresAvailable,
  type TempDatabase,
} from '../../support/services.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';

/*
 * The Data API's request timeout (50 s) must stay above its 45 s statement limit, so on Lambda (29 s)
 * it never ends a call to a black-holed endpoint: the invocation's deadline has to.
 */

const available = await postgresAvailable();

describe.skipIf(!available)('a Lambda function when the Data API endpoint is a black hole', () => {
  let dataDir: string;
  let database: TempDatabase;
  let emulator: DataApiEmulator;
  let endpoint: TcpProxy;
  let list: HttpHandler;

  const listEvent = () =>
    httpApiEvent({
      method: 'GET',
      url: '/predictions?limit=5',
      routeKey: 'GET /predictions',
      // Within JWT_MAX_LIFETIME_SECONDS (a day): a longer-lived token is refused whoever verified it.
      claims: { sub: 'lambda-outage', exp: String(Math.floor(Date.now() / 1000) + 3600) },
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-lambda-outage-'));
    database = await createTempDatabase();
    emulator = await startDataApiEmulator({ databaseUrl: PG_TEST_URL });
    const url = new URL(emulator.url);
    endpoint = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
    Object.assign(process.env, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      ...dataApiStoreEnv(`http://127.0.0.1:${endpoint.port}`, databaseNameOf(database.url)),
      MIGRATE_ON_START: 'true',
      JWT_TRUST_AUTHORIZER_CLAIMS: 'true',
    });
    list = httpFunction('list-predictions', { writeLine: () => undefined });
  });
  afterAll(async () => {
    await endpoint?.close();
    await emulator?.close();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 STORE_UNAVAILABLE with Retry-After before the invocation runs out of time, then recovers', async () => {
    const healthy = await list(listEvent(), lambdaContext('list-predictions'));
    expect(healthy.statusCode).toBe(200);
    endpoint.stall();
    // 3 s to live: far below the SDK's 50 s request timeout.
    const stalled = await list(listEvent(), lambdaContext('list-predictions', 3));
    expect(stalled.statusCode).toBe(503);
    expect(stalled.headers?.['retry-after']).toMatch(/^\d+$/);
    expect(JSON.parse(stalled.body ?? '{}')).toMatchObject({ error: { code: 'STORE_UNAVAILABLE' } });
    await endpoint.restore();
    expect((await list(listEvent(), lambdaContext('list-predictions'))).statusCode).toBe(200);
  });
});
