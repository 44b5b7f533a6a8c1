import { describe, expect, it } from 'vitest';
import {
  ClientClosedRequestError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  toErrorResponse,
  UnauthorizedError,
} from '../../../shared/errors.js';
import { bodyLimit } from '../../../shared/http/body-limits.js';
import { operations } from '../../../shared/http/operations.js';
import { assertWellFormedPath, methodNotAllowed } from '../../../shared/http/request-path.js';

const op = (id: string) => operations.find((o) => o.id === id) as (typeof operations)[number];

describe('transport errors through the one mapping', () => {
  it('puts the allowed methods of a 405 in its Allow header', () => {
    const res = toErrorResponse(new MethodNotAllowedError(['GET', 'POST']), 'r');
    expect(res).toMatchObject({ status: 405, headers: { allow: 'GET, POST' } });
    expect(methodNotAllowed([op('listPredictions'), op('savePrediction')]).allow).toEqual(['GET', 'POST']);
  });

  it('challenges a 401 with Bearer, and error="invalid_token" when a token was refused', () => {
    expect(toErrorResponse(new UnauthorizedError(), 'r').headers).toEqual({ 'www-authenticate': 'Bearer' });
    expect(toErrorResponse(new UnauthorizedError('bad', undefined, true), 'r').headers).toEqual({
      'www-authenticate': 'Bearer error="invalid_token"',
    });
  });

  it('maps a client that went away to 499 CLIENT_CLOSED_REQUEST, for logs and metrics only', () => {
    const res = toErrorResponse(new ClientClosedRequestError(new Error('aborted')), 'r');
    expect([res.status, res.body.error.code]).toEqual([499, 'CLIENT_CLOSED_REQUEST']);
  });

  it('quotes MAX_IMAGE_BYTES in the transport 413 of an image operation, the JSON limit otherwise', () => {
    const image = bodyLimit(op('predict'), 1000);
    expect(image.maxBytes).toBeGreaterThan(1000);
    expect(image.tooLarge().message).toContain(' 1000 bytes');
    const json = bodyLimit(op('savePrediction'), 1000);
    expect(json.tooLarge()).toBeInstanceOf(PayloadTooLargeError);
    expect(json.tooLarge().code).toBe('BODY_TOO_LARGE');
  });

  it('refuses a path whose percent-escapes do not decode, and only that', () => {
    expect(() => assertWellFormedPath('/predictions/%E0%A4%A')).toThrow(/percent-escape/);
    expect(() => assertWellFormedPath('/predictions/%')).toThrow();
    expect(() => assertWellFormedPath('/predictions/a%20b%2F%C3%A9')).not.toThrow();
  });
});
