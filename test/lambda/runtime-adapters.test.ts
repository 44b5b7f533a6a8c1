import { describe, expect, it } from 'vitest';
import { authorizerIdentity } from '../../functions/runtime/authorizer-identity.js';
import { toOperationRequest } from '../../functions/runtime/event.js';
import { runInvocation } from '../../functions/runtime/invocation.js';
import { trackWrites } from '../../functions/runtime/pending-writes.js';
import { toHttpApiResult } from '../../functions/runtime/result.js';
import { createMemoryCache } from '../../shared/adapters/cache/memory-cache.js';
import { withRotatingToken } from '../../shared/adapters/cache/rotating-token-cache.js';
import { operations } from '../../shared/http/operations.js';
import type { Cache } from '../../shared/ports/cache.js';
import { httpApiEvent } from './support/http-api-event.js';
import { lambdaContext } from './support/lambda-target.js';

const op = (id: string) => operations.find((o) => o.id === id) as (typeof operations)[number];
const inProcess = { verify: async () => ({ userId: 'verified-in-process' }) };
const withClaims = httpApiEvent({
  method: 'GET',
  url: '/predictions',
  routeKey: 'GET /predictions',
  claims: { sub: 'from-claims', exp: '4102444800' },
});
const invocation = { event: withClaims, context: lambdaContext('t'), requestId: 'r', startedAt: 0 };

describe('authorizerIdentity', () => {
  it('takes the sub of the claims only when told to trust the authorizer', async () => {
    const trusting = authorizerIdentity(inProcess, true);
    const untrusting = authorizerIdentity(inProcess, false);
    expect(await runInvocation(invocation, () => trusting.verify(undefined))).toEqual({
      userId: 'from-claims',
    });
    // serverless-offline writes any token's claims there unverified: without trust they are ignored.
    expect(await runInvocation(invocation, () => untrusting.verify('Bearer x'))).toEqual({
      userId: 'verified-in-process',
    });
  });

  it('refuses claims without a usable subject', async () => {
    const event = {
      ...withClaims,
      requestContext: { ...withClaims.requestContext, authorizer: { jwt: { claims: { sub: '' } } } },
    };
    const identity = authorizerIdentity(inProcess, true);
    await expect(
      runInvocation({ ...invocation, event }, () => identity.verify(undefined)),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('refuses claims without exp, as the in-process verifier refuses such a token', async () => {
    const event = {
      ...withClaims,
      requestContext: { ...withClaims.requestContext, authorizer: { jwt: { claims: { sub: 'no-exp' } } } },
    };
    const identity = authorizerIdentity(inProcess, true);
    await expect(
      runInvocation({ ...invocation, event }, () => identity.verify(undefined)),
    ).rejects.toMatchObject({ status: 401 });
  });
});

describe('event translation', () => {
  it('decodes the raw query string, joining repeated keys as API Gateway does', () => {
    const event = httpApiEvent({
      method: 'GET',
      url: '/predictions?limit=5&cursor=a%2Bb&x=1&x=2&constructor=c',
      routeKey: 'GET /predictions',
    });
    expect({ ...toOperationRequest(event, op('listPredictions'), 1000).query }).toEqual({
      limit: '5',
      cursor: 'a+b',
      x: '1,2',
      constructor: 'c',
    });
  });

  it('refuses a JSON body over 64 KiB and an image over MAX_IMAGE_BYTES plus multipart framing, like Express', () => {
    const json = httpApiEvent({
      method: 'POST',
      url: '/predictions',
      routeKey: 'POST /predictions',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(65 * 1024),
    });
    expect(() => toOperationRequest(json, op('savePrediction'), 1000)).toThrow(
      expect.objectContaining({ code: 'BODY_TOO_LARGE' }),
    );
    const image = httpApiEvent({
      method: 'POST',
      url: '/predict',
      routeKey: 'POST /predict',
      headers: { 'content-type': 'image/jpeg' },
      body: Buffer.alloc(1000 + 65 * 1024),
    });
    expect(() => toOperationRequest(image, op('predict'), 1000)).toThrow(
      expect.objectContaining({ code: 'IMAGE_TOO_LARGE' }),
    );
  });

  it('answers JSON as text and bytes as base64', () => {
    expect(toHttpApiResult({ status: 200, body: { a: 1 } }, 'r')).toMatchObject({
      body: '{"a":1}',
      isBase64Encoded: false,
    });
    expect(toHttpApiResult({ status: 200, body: Buffer.from([1, 2]) }, 'r')).toMatchObject({
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
