import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { HttpApiEvent, HttpApiResult } from '../../functions/runtime/api-gateway.js';
import { pathMatches } from '../../shared/http/routing.js';
import { type LocalAws, startLocalAws } from '../../tools/local-aws/start-local-aws.js';
import { apiGateway, type GatewayRequest } from '../support/lambda/api-gateway.js';
import { httpApiEvent, toTargetResponse } from '../support/lambda/http-api-event.js';
import { tableRoutes } from '../support/lambda/table-routes.js';
import {
  createTempDatabase,
  PG_TEST_URL,
  postgresAvailable,
  REDIS_TEST_URL,
  redisAvailable,
  type TempDatabase,
} from '../support/services.js';
import { claimsTokens, DEV_AUDIENCE, DEV_ISSUER } from './support/claims-tokens.js';
import type { CaseResponse, HttpCase } from './support/http-case.js';
import { loadImageCorpus } from './support/image-bodies.js';
import { type LambdaProcess, startLambdaProcess } from './support/lambda-process.js';
import {
  type PropertyTarget,
  registerIdempotencyProperty,
  registerPropertySuite,
} from './support/property-suite.js';
import { type RowWatch, watchRows } from './support/row-watch.js';
import { seedHistory } from './support/seed-history.js';
import { tokenPool } from './support/token-pool.js';

const available = (await postgresAvailable()) && (await redisAvailable());
const MAX_IMAGE_BYTES = 300_000;
const routes = tableRoutes();

/** What API Gateway answers when the function fails instead of answering (it threw, or its container died). */
function integrationFailure(error: unknown): HttpApiResult {
  return {
    statusCode: 500,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'Internal Server Error', cause: String(error).slice(0, 2000) }),
    isBase64Encoded: false,
  };
}

function asCaseResponse(res: {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}): CaseResponse {
  const text =
    res.body === undefined
      ? ''
      : Buffer.isBuffer(res.body)
        ? res.body.toString('utf8')
        : JSON.stringify(res.body);
  return { status: res.status, headers: res.headers, text };
}

/** Straight to the route's function with no authorizer claims: the function verifies the token itself. */
function directEvent(c: HttpCase): { fn: string; event: HttpApiEvent } {
  const pathname = new URL(c.url, 'https://x').pathname;
  const route = routes.find((r) => {
    const [method, template] = r.routeKey.split(' ');
    return method === c.method && template !== undefined && pathMatches(template, pathname);
  });
  const selected = route ?? routes.find((r) => r.routeKey === '$default');
  const template = route?.routeKey.split(' ')[1];
  const id = template?.includes('{id}') ? pathname.split('/')[2] : undefined;
  let decoded = id;
  try {
    decoded = id === undefined ? undefined : decodeURIComponent(id);
  } catch {
    // left as sent
  }
  const event = httpApiEvent({
    method: c.method,
    url: c.url,
    headers: c.headers,
    ...(c.body ? { body: c.body } : {}),
    routeKey: selected?.routeKey ?? '$default',
    ...(decoded === undefined ? {} : { pathParameters: { id: decoded } }),
  });
  return { fn: selected?.functionName ?? 'not-found', event };
}

describe.skipIf(!available)(
  'property suite: Lambda functions (source, own process) over the real PostgreSQL',
  () => {
    let database: TempDatabase;
    let aws: LocalAws;
    let dataDir: string;
    let env: Record<string, string>;
    let host: LambdaProcess;
    let gateway: GatewayRequest;
    let rows: RowWatch;
    let target: PropertyTarget;

    const invoke = (fn: string, event: HttpApiEvent) => host.invoke(fn, event).catch(integrationFailure);
    const send = async (c: HttpCase): Promise<CaseResponse> => {
      if (c.viaGateway) {
        const init = { headers: c.headers, ...(c.body ? { body: c.body } : {}) };
        return asCaseResponse(await gateway(c.method, c.url, init));
      }
      const { fn, event } = directEvent(c);
      return asCaseResponse(toTargetResponse(await invoke(fn, event)));
    };
    const health = async () => {
      try {
        return (await send({ method: 'GET', url: '/health', headers: {}, viaGateway: true, kind: 'health' }))
          .status;
      } catch {
        return 0;
      }
    };

    beforeAll(async () => {
      database = await createTempDatabase();
      aws = await startLocalAws({
        postgresUrl: PG_TEST_URL,
        database: new URL(database.url).pathname.slice(1),
        redisUrl: REDIS_TEST_URL,
      });
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-prop-lambda-'));
      env = {
        ...aws.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
        AWS_REGION: 'us-east-1',
        MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES),
        JWT_TRUST_AUTHORIZER_CLAIMS: 'true',
        CACHE_KEY_PREFIX: `pettracker-prop-lambda:${randomBytes(4).toString('hex')}:`,
      };
      host = await startLambdaProcess(env);
      rows = await watchRows(database.url);
      const tokens = await claimsTokens(dataDir);
      gateway = apiGateway(routes, invoke, {
        key: tokens.keys.publicKey,
        issuer: DEV_ISSUER,
        audience: [DEV_AUDIENCE],
      });
      const context = await seedHistory(
        send,
        await tokenPool(tokens),
        await loadImageCorpus(MAX_IMAGE_BYTES),
      );
      target = {
        send,
        pid: () => host.pid(),
        health,
        async ensureRunning() {
          if (host.alive() && (await health()) === 200) return;
          await host.close();
          host = await startLambdaProcess(env);
        },
        output: () => host.output(),
        rows,
        // The simulated gateway cannot represent a malformed escape in a path parameter.
        context: { ...context, malformedEscapes: false },
      };
    });
    afterAll(async () => {
      await rows?.close();
      await host?.close();
      await aws?.close();
      await database?.drop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    registerPropertySuite('Lambda', () => target);
    registerIdempotencyProperty('Lambda', () => target);
  },
);
