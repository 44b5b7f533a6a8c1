import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevKeys } from '../../shared/adapters/identity/dev-keys.js';
import { makeJpeg } from '../support/images.js';
import { apiGateway } from '../support/lambda/api-gateway.js';
import { httpApiEvent } from '../support/lambda/http-api-event.js';
import { type LambdaServices, startLambdaServices } from '../support/lambda/lambda-services.js';
import {
  AUTHORIZER_ANSWERS,
  type Handler,
  lambdaContext,
  lambdaTarget,
} from '../support/lambda/lambda-target.js';
import { sourceHandlers } from '../support/lambda/source-handlers.js';
import { tableRoutes } from '../support/lambda/table-routes.js';
import { MINIMAL_SAVE } from '../support/save-body.js';
import { apiContract, type ContractTarget } from './api-contract.js';
import { openApiConformance } from './openapi-conformance.js';

const MAX_IMAGE_BYTES = 300_000;
let services: LambdaServices;
let dataDir: string;
let handlers: Record<string, Handler>;
let target: ContractTarget;

beforeAll(async () => {
  services = await startLambdaServices();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-lambda-'));
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    MODEL_URI: 'models/placeholder',
    AWS_REGION: 'us-east-1',
    MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES),
    JWT_TRUST_AUTHORIZER_CLAIMS: 'true',
    ...services.env,
  });
  // Deploy order: the migrate function first (CloudFormation runs it before updating the API).
  const { handler: migrate } = await import('../../functions/migrate.js');
  await migrate({}, lambdaContext('migrate', 300));
  handlers = await sourceHandlers();
  const keys = await loadOrCreateDevKeys(path.join(dataDir, 'dev-jwt-key.json'));
  const tokens = { keys, issuer: 'pettracker-dev', audience: 'pettracker' };
  const invoke = (fn: string, event: Parameters<Handler>[0]) =>
    (handlers[fn] as Handler)(event, lambdaContext(fn));
  const auth = { key: keys.publicKey, issuer: tokens.issuer, audience: [tokens.audience] };
  target = lambdaTarget(apiGateway(tableRoutes(), invoke, auth), tokens, MAX_IMAGE_BYTES);
});
afterAll(async () => {
  await services?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Lambda functions (TypeScript source) behind a simulated API Gateway', () => {
  apiContract(() => target);
  openApiConformance(() => target, { except: AUTHORIZER_ANSWERS });
});

describe('Lambda runtime', () => {
  // API Gateway hands the claims over as strings; an hour to live, within JWT_MAX_LIFETIME_SECONDS.
  const inAnHour = () => String(Math.floor(Date.now() / 1000) + 3600);
  const save = (claims: Record<string, string> | undefined, headers: Record<string, string> = {}) =>
    httpApiEvent({
      method: 'POST',
      url: '/predictions',
      routeKey: 'POST /predictions',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(MINIMAL_SAVE),
      ...(claims ? { claims } : {}),
    });

  it("takes the user from the authorizer's claims, without a token of its own", async () => {
    const saved = await (handlers['save-prediction'] as Handler)(
      save({ sub: 'carol', exp: inAnHour() }),
      lambdaContext('save'),
    );
    expect(saved.statusCode).toBe(201);
    const list = httpApiEvent({
      method: 'GET',
      url: '/predictions',
      routeKey: 'GET /predictions',
      claims: { sub: 'carol', exp: inAnHour() },
    });
    const listed = await (handlers['list-predictions'] as Handler)(list, lambdaContext('list'));
    expect(JSON.parse(listed.body).items.map((p: { id: string }) => p.id)).toContain(
      JSON.parse(saved.body).id,
    );
  });

  it('verifies the token itself when a request arrives without claims (no authorizer in front)', async () => {
    const res = await (handlers['save-prediction'] as Handler)(
      save(undefined, { authorization: 'Bearer x.y.z' }),
      lambdaContext('save'),
    );
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    const none = await (handlers['save-prediction'] as Handler)(save(undefined), lambdaContext('save'));
    expect([none.statusCode, none.headers['www-authenticate']]).toEqual([401, 'Bearer']);
  });

  it('verifies a token sent with the scheme in any case when it verifies in-process (RFC 9110)', async () => {
    const token = await target.token('erin');
    for (const scheme of ['bearer', 'BEARER']) {
      const list = httpApiEvent({
        method: 'GET',
        url: '/predictions',
        routeKey: 'GET /predictions',
        headers: { authorization: `${scheme} ${token}` },
      });
      const res = await (handlers['list-predictions'] as Handler)(list, lambdaContext('list'));
      expect(res.statusCode, scheme).toBe(200);
    }
  });

  it('a token claim the function cannot use (blank sub): 401 with error="invalid_token"', async () => {
    const res = await (handlers['save-prediction'] as Handler)(
      save({ sub: '' }, { authorization: 'Bearer x.y.z' }),
      lambdaContext('save'),
    );
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('survives an unterminated multipart upload (busboy errors its part stream), answering 400', async () => {
    const body = Buffer.from(
      '--X\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\nabc',
    );
    const event = httpApiEvent({
      method: 'POST',
      url: '/predict',
      routeKey: 'POST /predict',
      headers: { 'content-type': 'multipart/form-data; boundary=X' },
      body,
    });
    const res = await (handlers.predict as Handler)(event, lambdaContext('predict'));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe('MALFORMED_MULTIPART');
    const health = httpApiEvent({ method: 'GET', url: '/health', routeKey: 'GET /health' });
    expect((await (handlers.health as Handler)(health, lambdaContext('health'))).statusCode).toBe(200);
  });

  it('answers 405 with Allow on the $default route', async () => {
    const event = httpApiEvent({ method: 'PATCH', url: '/predictions', routeKey: '$default' });
    const res = await (handlers['not-found'] as Handler)(event, lambdaContext('not-found'));
    expect([res.statusCode, res.headers.allow]).toEqual([405, 'GET, POST']);
  });

  it('answers 503 before the invocation deadline while Aurora resumes, instead of timing out', async () => {
    // The faults outlast the 2 s deadline and end well within STORE_RETRY_BUDGET_MS (30 s): a store
    // that ignored the deadline would retry past them and answer 201, so the 503 alone says it stopped
    // for the deadline, and no clock needs reading (the margin itself: retrying-store.test.ts).
    services.dataApi.faults.failFor(10_000, 'DatabaseResumingException');
    try {
      const res = await (handlers['save-prediction'] as Handler)(
        save({ sub: 'dave', exp: inAnHour() }),
        lambdaContext('save', 2),
      );
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
    } finally {
      services.dataApi.faults.clear();
    }
  });

  it('answers CORS preflights on the catch-all route (no other route has OPTIONS)', async () => {
    const headers = { origin: 'https://app.pettracker.example', 'access-control-request-method': 'POST' };
    const event = httpApiEvent({ method: 'OPTIONS', url: '/predictions', routeKey: '$default', headers });
    const res = await (handlers['not-found'] as Handler)(event, lambdaContext('not-found'));
    expect(res.statusCode).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': expect.stringContaining('POST'),
    });
  });

  it('reads the Upstash token through @middy/secrets-manager, once per cacheExpiry, not per request', () => {
    // Without a local Redis the cache is the memory one and there is no secret to read.
    if (!services.aws) return expect(services.env.CACHE).toBe('memory');
    const fetches = services.aws.secretsManager.requests.filter((r) => r.operation === 'GetSecretValue');
    expect(fetches.length).toBeGreaterThan(0);
    // One per function that touched the cache (each has its own container), however many requests.
    expect(fetches.length).toBeLessThanOrEqual(Object.keys(handlers).length);
  });

  it('answers a JPEG that API Gateway base64-encoded, with CORS and security headers', async () => {
    const event = httpApiEvent({
      method: 'POST',
      url: '/predict?topK=2',
      routeKey: 'POST /predict',
      headers: { 'content-type': 'image/jpeg', origin: 'https://app.pettracker.example' },
      body: await makeJpeg(120, 90),
    });
    expect(event.isBase64Encoded).toBe(true);
    const res = await (handlers.predict as Handler)(event, lambdaContext('predict'));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).predictions).toHaveLength(2);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
      'x-request-id': event.requestContext.requestId,
    });
  });
});
