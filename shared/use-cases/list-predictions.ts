import type { Core } from '../core.js';
import { BadRequestError } from '../errors.js';
import type { Caller } from '../ports/identity.js';
import type { ListCursor, StoredPrediction } from '../ports/prediction-store.js';
import { isUuid } from '../uuid.js';

export interface ListPredictionsOutput {
  items: StoredPrediction[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export async function listPredictions(
  core: Core,
  caller: Caller,
  limit: number,
  cursor: string | undefined,
): Promise<ListPredictionsOutput> {
  const after = cursor === undefined ? null : decodeCursor(cursor);
  // One row more than asked tells whether another page exists without a count query.
  const rows = await core.store.list(caller.userId, limit + 1, after);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null;
  return { items, nextCursor };
}

/** Opaque to clients: base64url of the keyset position (created_at with microseconds, id). */
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function decodeCursor(cursor: string): ListCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [createdAt, id] = value;
      if (
        typeof createdAt === 'string' &&
        ISO_MICROS.test(createdAt) &&
        typeof id === 'string' &&
        isUuid(id)
      ) {
        return { createdAt, id };
      }
    }
  } catch {
    // fall through to the one error below
  }
  throw new BadRequestError('VALIDATION_FAILED', 'The cursor is not one this API issued.');
}
