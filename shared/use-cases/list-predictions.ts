import type { Core } from '../core.js';
import { decodeCursor, encodeCursor } from '../list-cursor.js';
import type { Caller } from '../ports/identity.js';
import type { StoredPrediction } from '../ports/prediction-store.js';

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
