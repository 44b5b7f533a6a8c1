import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApiEvent } from '../../../functions/runtime/api-gateway.js';
import { fallbackFunction, httpFunction } from '../../../functions/runtime/http-function.js';
import { openApiJson } from '../../../shared/http/openapi.js';
import { EMF_SCHEMA, membersProblems } from '../../support/emf-schema.js';
import { makeJpeg } from '../../support/images.js';
import { httpApiEvent } from '../../support/lambda/http-api-event.js';
import { type Handler, lambdaContext } from '../../support/lambda/lambda-target.js';

const validEmf = new Ajv2020({ strict: true }).compile(EMF_SCHEMA);
type Emf = Record<string, unknown> & {
  _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
};

/** A handler whose container writes its EMF lines here instead of stdout. */
function captured(make: (write: (line: string) => void) => Handler) {
  const lines: string[] = [];
  const handler = make((line) => lines.push(line));
  /** Invokes once and returns the answer with the EMF lines that invocation wrote. */
  return async (event: HttpApiEvent) => {
    const before = lines.length;
    // A deadline no cold start reaches, however busy the machine: these tests are about the lines,
    // and a model load past Lambda's usual 29 s would otherwise be answered as out of time (a 500).
    const context = lambdaContext('test', 900);
    const res = await handler(event, context);
    const written = lines.slice(before).map((line) => JSON.parse(line) as Emf);
    return { res, written, awsRequestId: context.awsRequestId };
  };
}

/** The one line of an invocation: valid EMF, tagged with its ids. Returns its metric names. */
function oneLine(out: Awaited<ReturnType<ReturnType<typeof captured>>>, event: HttpApiEvent): string[] {
  expect(out.written).toHaveLength(1);
  const [doc] = out.written as [Emf];
  expect(validEmf(doc), JSON.stringify(validEmf.errors)).toBe(true);
  expect(membersProblems(doc)).toEqual([]);
  expect(doc).toMatchObject({ requestId: event.requestContext.requestId, awsRequestId: out.awsRequestId });
  expect(doc._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Pettracker' });
  return doc._aws.CloudWatchMetrics.flatMap((d) => d.Metrics.map((m) => m.Name)).sort();
}

let dataDir: string;
let predict: ReturnType<typeof captured>;
let fallback: ReturnType<typeof captured>;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-lambda-metrics-'));
  // Embedded defaults (PGlite store, memory cache, placeholder model): only the metrics matter here.
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    MODEL_URI: 'models/placeholder',
  });
  predict = captured((write) => httpFunction('predict', { writeLine: write }));
  fallback = captured((write) => fallbackFunction({ writeLine: write }));
});
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a Lambda handler writes one EMF line per invocation', () => {
  const post = (body: Buffer | string, type = 'image/jpeg') =>
    httpApiEvent({
      method: 'POST',
      url: '/predict',
      routeKey: 'POST /predict',
      headers: { 'content-type': type },
      body,
    });

  it('predict: cold start and model load first, then a cache hit, then a 4xx by code', async () => {
    const jpeg = await makeJpeg(120, 90);
    const first = post(jpeg);
    const cold = await predict(first);
    expect(cold.res.statusCode).toBe(200);
    expect(oneLine(cold, first)).toEqual(
      ['CacheMiss', 'ColdStart', 'InferenceMs', 'ModelLoadMs', 'RequestMs'].sort(),
    );
    expect(cold.written[0]).toMatchObject({ ColdStart: 1, Operation: 'predict', Service: 'pettracker' });

    const second = post(jpeg);
    const warm = await predict(second);
    expect(warm.res.statusCode).toBe(200);
    expect(oneLine(warm, second)).toEqual(['CacheHit', 'RequestMs']);

    const bad = post('not an image', 'text/plain');
    const refused = await predict(bad);
    expect(refused.res.statusCode).toBe(415);
    expect(oneLine(refused, bad)).toEqual(['ClientError', 'RequestMs']);
    expect(refused.written[0]).toMatchObject({ Code: 'UNSUPPORTED_MEDIA_TYPE', ClientError: 1 });
  });

  it('the $default function: 404 by code, a CORS preflight, and GET /openapi.json', async () => {
    const missing = httpApiEvent({ method: 'GET', url: '/nope', routeKey: '$default' });
    const notFound = await fallback(missing);
    expect(notFound.res.statusCode).toBe(404);
    expect(oneLine(notFound, missing)).toEqual(['ClientError', 'ColdStart', 'RequestMs']);
    expect(notFound.written[0]).toMatchObject({ Operation: 'notFound', Code: 'NOT_FOUND' });

    const headers = { origin: 'https://app.example', 'access-control-request-method': 'POST' };
    const options = httpApiEvent({ method: 'OPTIONS', url: '/predict', routeKey: '$default', headers });
    const preflight = await fallback(options);
    expect(preflight.res.statusCode).toBe(204);
    expect(oneLine(preflight, options)).toEqual(['RequestMs']);
    expect(preflight.written[0]).toMatchObject({ Operation: 'preflight' });

    const get = httpApiEvent({ method: 'GET', url: '/openapi.json', routeKey: '$default' });
    const doc = await fallback(get);
    expect(doc.res.statusCode).toBe(200);
    expect(doc.res.headers).toMatchObject({
      'content-type': expect.stringMatching(/^application\/json/),
      'x-request-id': get.requestContext.requestId,
    });
    expect(doc.res.body).toBe(openApiJson());
    expect(oneLine(doc, get)).toEqual(['RequestMs']);
  });

  it("an event the translation cannot read: the API's 500 with the request id and one line, never a throw", async () => {
    const event = httpApiEvent({ method: 'GET', url: '/health', routeKey: '$default' });
    // No API Gateway sends this; a thrown error would reach the client as a bare 500 (or, under
    // serverless-offline, as a 200 carrying the stack trace).
    const broken = { ...event, rawPath: 42 } as unknown as HttpApiEvent;
    const out = await fallback(broken);
    expect(out.res.statusCode).toBe(500);
    const body = JSON.parse(out.res.body);
    expect(body).toEqual({
      error: { code: 'INTERNAL', message: expect.any(String), requestId: event.requestContext.requestId },
    });
    expect(out.res.body).not.toMatch(/at |\.ts|\.mjs/);
    expect(out.res.headers['x-request-id']).toBe(event.requestContext.requestId);
    expect(oneLine(out, event)).toEqual(['RequestMs', 'ServerError']);
    expect(out.written[0]).toMatchObject({ Operation: 'invocation' });
  });

  it('a failed start-up: the 5xx answer is metered and flushed like any other', async () => {
    process.env.MODEL_URI = 'models/does-not-exist';
    const broken = captured((write) => httpFunction('model-info', { writeLine: write }));
    const event = httpApiEvent({ method: 'GET', url: '/model', routeKey: 'GET /model' });
    const out = await broken(event);
    expect(out.res.statusCode).toBeGreaterThanOrEqual(500);
    expect(oneLine(out, event)).toEqual(['ColdStart', 'RequestMs', 'ServerError']);
  });
});
