import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, isCursorTime } from '../../shared/list-cursor.js';

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

  it.each([
    '2026-02-30T00:00:00.000000Z',
    '2025-02-29T00:00:00.000000Z',
    '2026-13-01T00:00:00.000000Z',
    '2026-00-01T00:00:00.000000Z',
    '2026-01-00T00:00:00.000000Z',
    '2026-01-32T00:00:00.000000Z',
    '2026-04-31T00:00:00.000000Z',
    '2026-01-01T25:00:00.000000Z',
    '2026-01-01T24:00:00.000000Z',
    '2026-01-01T10:60:00.000000Z',
    '2026-12-31T23:59:60.000000Z',
    '0000-01-01T00:00:00.000000Z',
    '2026-01-01T00:00:00.1234567Z',
    '2026-01-01 00:00:00Z',
    '2026-01-01T00:00:00+00:00',
    '2026-01-01T00:00:00.000000Z\u0000',
  ])('refuses %s, a time PostgreSQL rejects or the store never issues', (createdAt) => {
    expect(isCursorTime(createdAt)).toBe(false);
    const cursor = Buffer.from(JSON.stringify([createdAt, '0b7f3c1e-9a4d-4c55-8e0a-1f2b3c4d5e6f'])).toString(
      'base64url',
    );
    expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it.each([
    '2024-02-29T23:59:59.999999Z',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999999Z',
    '2026-11-26T13:40:01.1Z',
  ])('accepts %s, a real instant', (createdAt) => {
    expect(isCursorTime(createdAt)).toBe(true);
  });
});
