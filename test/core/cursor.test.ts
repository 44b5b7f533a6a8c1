import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../shared/list-cursor.js';

describe('history cursor', () => {
  it('round-trips a microsecond timestamp and an id', () => {
    const cursor = { createdAt: '2026-11-26T13:40:01.123456Z', id: '0b7f3c1e-9a4d-4c55-8e0a-1f2b3c4d5e6f' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    '',
    'not base64 json',
    Buffer.from('["x","y"]').toString('base64url'),
    Buffer.from('{}').toString('base64url'),
  ])('rejects %j with VALIDATION_FAILED', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(
      expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED' }),
    );
  });
});
