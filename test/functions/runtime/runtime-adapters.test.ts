import { describe, expect, it } from 'vitest';
import {
  type HttpApiEvent,
  toHttpApiResult,
  toPipelineRequest,
} from '../../../functions/runtime/api-gateway.js';
import { createMemoryCache } from '../../../shared/adapters/cache/memory-cache.js';
import { withRotatingToken } from '../../../shared/adapters/cache/rotating-token-cache.js';
import { trackWrites } from '../../../shared/compose.js';
import { bodyLimit, bodyWithin } from '../../../shared/http/body-limits.js';
import { operations } from '../../../shared/http/operations.js';
import type { PipelineResponse } from '../../../shared/http/pipeline.js';
import { queryOf } from '../../../shared/http/query.js';
import type { Cache } from '../../../shared/ports/cache.js';
import { httpApiEvent } from '../../support/lambda/http-api-event.js';
import { lambdaContext } from '../../support/lambda/lambda-target.js';

const op = (id: string) => operations.find((o) => o.id === id) as (typeof operations)[number];
const inAnHour = () => String(Math.floor(Date.now() / 1000) + 3600);
const withClaims = () =>
  httpApiEvent({
    method: 'GET',
    url: '/predictions',
    routeKey: 'GET /predictions',
    claims: { sub: 'from-claims', exp: inAnHour() },
  });

describe('event translation', () => {
  it('hands the authorizer’s claims to the pipeline only when told to trust them', () => {
    const event = withClaims();
    const context = lambdaContext('t');
    expect(toPipelineRequest(event, context, true).claims).toEqual(
      event.requestContext.authorizer?.jwt?.claims,
    );
    // serverless-offline writes any token's claims there unverified: without trust they are ignored.
    expect(toPipelineRequest(event, context, false).claims).toBeUndefined();
  });

  it('carries the invocation’s deadline and ids', () => {
    const context = lambdaContext('t', 10);
    const request = toPipelineRequest(withClaims(), context);
    expect(request.deadline).toBeGreaterThan(Date.now() + 5_000);
    expect(request.deadline).toBeLessThanOrEqual(Date.now() + 10_000);
    expect(request.properties).toEqual({ awsRequestId: context.awsRequestId });
    expect(request.transportId).toMatch(/\S/);
  });

  it('decodes the raw query string, joining repeated keys as API Gateway does', () => {
    const event = httpApiEvent({
      method: 'GET',
      url: '/predictions?limit=5&cursor=a%2Bb&x=1&x=2&constructor=c',
      routeKey: 'GET /predictions',
    });
    const request = toPipelineRequest(event, lambdaContext('t'));
    expect({ ...queryOf(request.query) }).toEqual({
      limit: '5',
      cursor: 'a+b',
      x: '1,2',
      constructor: 'c',
    });
  });

  it.each([
    ['null (serverless-offline)', { body: null }],
    ['absent (API Gateway, no body)', {}],
    ['empty', { body: '' }],
  ])('reads a body that is %s as an empty body', async (_kind, body) => {
    const { body: _none, ...bodiless } = httpApiEvent({
      method: 'GET',
      url: '/health',
      routeKey: 'GET /health',
    });
    const event = { ...bodiless, ...body } as HttpApiEvent;
    const request = toPipelineRequest(event, lambdaContext('t'));
    expect(await bodyWithin(request.body, bodyLimit(op('savePrediction'), 1000))).toEqual(Buffer.alloc(0));
  });

  it('refuses a JSON body over 64 KiB and an image over MAX_IMAGE_BYTES plus multipart framing, like Express', async () => {
    const json = httpApiEvent({
      method: 'POST',
      url: '/predictions',
      routeKey: 'POST /predictions',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(65 * 1024),
    });
    const within = (event: typeof json, id: string) =>
      bodyWithin(toPipelineRequest(event, lambdaContext('t')).body, bodyLimit(op(id), 1000));
    await expect(within(json, 'savePrediction')).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
    const image = httpApiEvent({
      method: 'POST',
      url: '/predict',
      routeKey: 'POST /predict',
      headers: { 'content-type': 'image/jpeg' },
      body: Buffer.alloc(1000 + 65 * 1024),
    });
    await expect(within(image, 'predict')).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });

  it('answers JSON as text and bytes as base64', () => {
    const answer = (body: PipelineResponse['body']) => ({
      status: 200,
      headers: {},
      body,
      send: true,
      close: false,
    });
    expect(toHttpApiResult(answer('{"a":1}'))).toMatchObject({
      body: '{"a":1}',
      isBase64Encoded: false,
    });
    expect(toHttpApiResult(answer(Buffer.from([1, 2])))).toMatchObject({
      body: 'AQI=',
      isBase64Encoded: true,
    });
  });
});

describe('cache adapters for Lambda', () => {
  it('builds a new client when the token is rotated, and only then', async () => {
    let token = 'one';
    const built: string[] = [];
    const cache = withRotatingToken(
      async () => token,
      (t) => {
        built.push(t);
        return createMemoryCache({ maxEntries: 10 });
      },
    );
    await cache.set('k', 'v', 60);
    expect(await cache.get('k')).toBe('v');
    token = 'two';
    expect(await cache.get('k')).toBeNull();
    expect(built).toEqual(['one', 'two']);
  });

  it('settles writes the core did not await, so a frozen container cannot cut them off', async () => {
    let release = () => {};
    const slow: Cache = {
      get: async () => null,
      set: () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      close: async () => {},
    };
    const tracked = trackWrites(slow);
    void tracked.set('k', 'v', 60);
    let settled = false;
    const settling = tracked.settle().then(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    release();
    await settling;
    expect(settled).toBe(true);
  });
});
