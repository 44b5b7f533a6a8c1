import { describe, expect, it } from 'vitest';
import { NotFoundError, ServiceUnavailableError, toErrorResponse } from '../../shared/errors.js';

describe('error to response', () => {
  it('exposes a 4xx error with its code and the request id', () => {
    expect(toErrorResponse(new NotFoundError('gone'), 'req-1')).toEqual({
      status: 404,
      headers: {},
      body: { error: { code: 'NOT_FOUND', message: 'gone', requestId: 'req-1' } },
    });
  });

  it('turns an unknown error into a generic 500 that leaks nothing', () => {
    const res = toErrorResponse(new Error('password=hunter2 at db.internal:5432'), 'req-2');
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(res.body.error.code).toBe('INTERNAL');
  });

  it('adds Retry-After to a 503', () => {
    const res = toErrorResponse(new ServiceUnavailableError('NOT_READY', 'loading', 7), 'req-3');
    expect(res).toMatchObject({ status: 503, headers: { 'retry-after': '7' } });
  });
});
