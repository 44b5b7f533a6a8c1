import { randomUUID } from 'node:crypto';
import { BadRequestError } from '../../shared/errors.js';
import { isUuid, isValidCursor } from '../../shared/list-cursor.js';
import type {
  ListCursor,
  NewPrediction,
  PredictionStore,
  StoredPrediction,
} from '../../shared/ports/prediction-store.js';

/** An ISO time with microseconds, as the SQL stores write it, as a number of microseconds. */
function micros(iso: string): bigint {
  const [whole = '', fraction = ''] = iso.replace('Z', '').split('.');
  return BigInt(Date.parse(`${whole}Z`)) * 1000n + BigInt(fraction.padEnd(6, '0'));
}

function iso(us: bigint): string {
  const ms = Number(us / 1000n);
  return new Date(ms).toISOString().replace('Z', `${String(us % 1000n).padStart(3, '0')}Z`);
}

/** Newest first: created_at desc, id desc, as the SQL stores order (and page) rows. */
const newestFirst = (a: { at: bigint; id: string }, b: { at: bigint; id: string }) =>
  a.at === b.at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.at < b.at ? 1 : -1;

/**
 * A PredictionStore in memory, for the fast tier's pipeline tests only: the pipeline and the use cases
 * over the port, with no database to start. It keeps to the port's contract (the same cases as the
 * SQL stores, test/support/memory-store.test.ts) so that what the contract suite asserts through it is
 * what the real stores do; the SQL itself is tested on PGlite, PostgreSQL and the Data API.
 */
export function memoryStore(): PredictionStore {
  const rows: (StoredPrediction & { at: bigint })[] = [];
  let last = 0n;
  const copy = ({ at: _at, ...row }: StoredPrediction & { at: bigint }): StoredPrediction =>
    structuredClone(row);
  return {
    async insert(prediction: NewPrediction) {
      const { userId, idempotencyKey } = prediction;
      const earlier = rows.find(
        (r) => r.userId === userId && idempotencyKey !== null && r.idempotencyKey === idempotencyKey,
      );
      if (earlier) return { prediction: copy(earlier), created: false };
      // Microseconds that never repeat, as PostgreSQL's now() in separate statements.
      last = BigInt(Date.now()) * 1000n > last ? BigInt(Date.now()) * 1000n : last + 1n;
      const row = { ...structuredClone(prediction), id: randomUUID(), createdAt: iso(last), at: last };
      rows.push(row);
      return { prediction: copy(row), created: true };
    },
    async findByIdempotencyKey(userId, idempotencyKey) {
      const row = rows.find((r) => r.userId === userId && r.idempotencyKey === idempotencyKey);
      return row ? copy(row) : null;
    },
    async list(userId: string, limit: number, after: ListCursor | null) {
      if (after !== null && !isValidCursor(after)) {
        throw new BadRequestError('VALIDATION_FAILED', 'The cursor is not valid.');
      }
      const position = after === null ? undefined : { at: micros(after.createdAt), id: after.id };
      return rows
        .filter((r) => r.userId === userId && (position === undefined || newestFirst(position, r) < 0))
        .sort(newestFirst)
        .slice(0, limit)
        .map(copy);
    },
    async get(userId, id) {
      const row = rows.find((r) => r.userId === userId && r.id === id);
      return row ? copy(row) : null;
    },
    async delete(userId, id) {
      const index = isUuid(id) ? rows.findIndex((r) => r.userId === userId && r.id === id) : -1;
      if (index >= 0) rows.splice(index, 1);
      return index >= 0;
    },
    async ping() {},
    async close() {},
  };
}
