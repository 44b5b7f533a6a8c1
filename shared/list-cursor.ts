import { BadRequestError } from './errors.js';
import type { ListCursor } from './ports/prediction-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What the store's to_char produces; a cursor must round-trip exactly. */
const CURSOR_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?Z$/;

/** A malformed uuid would make PostgreSQL fail the whole statement (22P02) instead of matching nothing. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A real instant of the calendar, as the store writes it. The shape alone is not enough: PostgreSQL
 * fails the statement (22008) on February 30th, month 13 or hour 25, and year 0 does not exist in
 * it. It would accept 24:00:00 and a leap second 60, but the store never issues those, so a cursor
 * holding them was not one this API made.
 */
export function isCursorTime(value: string): boolean {
  const match = CURSOR_TIME.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // An impossible day or month rolls over into another one: February 30th comes back as March 2nd.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isValidCursor(cursor: ListCursor): boolean {
  return isUuid(cursor.id) && isCursorTime(cursor.createdAt);
}

/** Opaque to clients: base64url of the keyset position (created_at with microseconds, id). */
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeCursor(encoded: string): ListCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [createdAt, id] = value;
      const cursor = { createdAt, id } as ListCursor;
      if (typeof createdAt === 'string' && typeof id === 'string' && isValidCursor(cursor)) return cursor;
    }
  } catch {
    // fall through to the one error below
  }
  throw new BadRequestError('VALIDATION_FAILED', 'The cursor is not one this API issued.');
}
