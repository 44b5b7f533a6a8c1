import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BadRequestError } from '../../../../shared/errors.js';
import type {
  NewPrediction,
  PredictionStore,
  StoredPrediction,
} from '../../../../shared/ports/prediction-store.js';
import type { SqlExecutor } from '../../../../shared/ports/sql-database.js';

export interface StoreFixture {
  store: PredictionStore;
  /**
   * Raw SQL on the same database, to check rows and to insert rows sharing one created_at. Without it
   * (the tests' in-memory store) rows are counted through the port, and the cases that need SQL are left out.
   */
  sql?: SqlExecutor;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MICROSECOND_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function prediction(userId: string, overrides: Partial<NewPrediction> = {}): NewPrediction {
  return {
    userId,
    imageSha256: 'ab'.repeat(32),
    modelVersion: 'mobilenet-v3@1',
    breed: 'beagle',
    confidence: 0.87,
    topK: [
      { label: 'beagle', confidence: 0.87, species: 'dog' },
      { label: 'basset', confidence: 0.1 },
    ],
    source: 'model',
    idempotencyKey: null,
    ...overrides,
  };
}

const newUser = () => `user-${randomUUID()}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const newestFirst = (a: StoredPrediction, b: StoredPrediction) =>
  a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt);

/** The PredictionStore contract: every store adapter registers these cases inside its own describe. */
export function registerStoreContract(open: () => Promise<StoreFixture>, { withSql = true } = {}): void {
  let store: PredictionStore;
  let sql: SqlExecutor | undefined;
  async function countRows(userId: string): Promise<number> {
    if (!sql) return (await store.list(userId, 1_000, null)).length;
    const rows = await sql.query(
      'SELECT CAST(count(*) AS integer) AS n FROM predictions WHERE user_id = $1',
      [userId],
    );
    return Number(rows[0]?.n);
  }
  beforeAll(async () => {
    ({ store, sql } = await open());
  });
  afterAll(async () => {
    await store?.close();
  });

  it('insert returns the row with a uuid id and a createdAt with full microsecond precision', async () => {
    const input = prediction(newUser(), { idempotencyKey: 'k-1' });
    const { prediction: row, created } = await store.insert(input);
    expect(created).toBe(true);
    expect(row).toMatchObject({ ...input, id: expect.stringMatching(UUID) });
    expect(row.createdAt).toMatch(MICROSECOND_ISO);
    expect(Math.abs(Date.parse(row.createdAt) - Date.now())).toBeLessThan(60_000);
    // The text is the exact stored value: a cursor built from it matches the row itself.
    if (!sql) return;
    const exact = await sql.query('SELECT id FROM predictions WHERE created_at = CAST($1 AS timestamptz)', [
      row.createdAt,
    ]);
    expect(exact.map((r) => String(r.id))).toContain(row.id);
  });

  it('an insert repeating (userId, idempotencyKey) returns the first row with created=false', async () => {
    const userId = newUser();
    const first = await store.insert(prediction(userId, { idempotencyKey: 'retry-me' }));
    const again = await store.insert(prediction(userId, { idempotencyKey: 'retry-me', breed: 'pug' }));
    expect(again).toEqual({ prediction: first.prediction, created: false });
    expect(await countRows(userId)).toBe(1);
  });

  it('concurrent inserts with one idempotency key create exactly one row and all return it', async () => {
    const userId = newUser();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => store.insert(prediction(userId, { idempotencyKey: 'race' }))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.prediction.id)).size).toBe(1);
    expect(await countRows(userId)).toBe(1);
  });

  it('findByIdempotencyKey returns the row a key created, and null for another user or key', async () => {
    const userId = newUser();
    const { prediction: row } = await store.insert(prediction(userId, { idempotencyKey: 'find-me' }));
    expect(await store.findByIdempotencyKey(userId, 'find-me')).toEqual(row);
    expect(await store.findByIdempotencyKey(userId, 'other-key')).toBeNull();
    expect(await store.findByIdempotencyKey(newUser(), 'find-me')).toBeNull();
  });

  it('the same idempotency key used by two users creates two independent rows', async () => {
    const [a, b] = [newUser(), newUser()];
    const rowA = await store.insert(prediction(a, { idempotencyKey: 'shared' }));
    const rowB = await store.insert(prediction(b, { idempotencyKey: 'shared' }));
    expect([rowA.created, rowB.created]).toEqual([true, true]);
    expect(rowA.prediction.id).not.toBe(rowB.prediction.id);
  });

  it('inserts without an idempotency key are never deduplicated', async () => {
    const userId = newUser();
    await store.insert(prediction(userId));
    const second = await store.insert(prediction(userId));
    expect(second.created).toBe(true);
    expect(await countRows(userId)).toBe(2);
  });

  it('list returns the user rows newest first', async () => {
    const userId = newUser();
    const ids: string[] = [];
    for (const breed of ['pug', 'boxer', 'akita']) {
      ids.push((await store.insert(prediction(userId, { breed }))).prediction.id);
      await sleep(5); // distinct timestamps, so "newest" is well defined
    }
    const rows = await store.list(userId, 10, null);
    expect(rows.map((r) => r.id)).toEqual(ids.reverse());
    expect(rows[0]?.topK).toEqual(prediction(userId).topK);
  });

  // Rows sharing one timestamp need one SQL statement: a store without SQL registers no such case
  // (a skipped test would fail CI, which counts skips).
  if (withSql) {
    it('paging 25 rows by 10 returns every row exactly once, in order, even rows sharing a timestamp', async () => {
      const userId = newUser();
      for (let i = 0; i < 10; i += 1) await store.insert(prediction(userId, { breed: `solo-${i}` }));
      // One statement: all 15 rows get the same now(), so only the id orders them.
      await sql?.query(
        `INSERT INTO predictions (id, user_id, image_sha256, model_version, breed, confidence, source)
         SELECT gen_random_uuid(), $1, $2, 'v1', 'batch-' || g, 0.5, 'model' FROM generate_series(1, 15) AS g`,
        [userId, 'cd'.repeat(32)],
      );
      const pages: StoredPrediction[][] = [];
      let page = await store.list(userId, 10, null);
      while (page.length > 0) {
        pages.push(page);
        const last = page[page.length - 1];
        page = last ? await store.list(userId, 10, { createdAt: last.createdAt, id: last.id }) : [];
      }
      expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
      const seen = pages.flat();
      expect(new Set(seen.map((r) => r.id)).size).toBe(25);
      expect(seen).toEqual([...seen].sort(newestFirst));
      const shared = seen.filter((r) => r.breed.startsWith('batch-'));
      expect(new Set(shared.map((r) => r.createdAt)).size).toBe(1);
    });
  }

  it('get returns the own row by id, and null for an unknown, deleted or malformed id', async () => {
    const userId = newUser();
    const { prediction: row } = await store.insert(prediction(userId, { idempotencyKey: 'get-me' }));
    expect(await store.get(userId, row.id)).toEqual(row);
    expect(await store.get(userId, randomUUID())).toBeNull();
    expect(await store.get(userId, 'not-a-uuid')).toBeNull();
    expect(await store.delete(userId, row.id)).toBe(true);
    expect(await store.get(userId, row.id)).toBeNull();
  });

  it('a user never gets, lists or deletes another user rows', async () => {
    const [owner, other] = [newUser(), newUser()];
    const { prediction: row } = await store.insert(prediction(owner));
    expect(await store.get(other, row.id)).toBeNull();
    expect(await store.list(other, 10, null)).toEqual([]);
    expect(await store.list(other, 10, { createdAt: '9999-01-01T00:00:00.000000Z', id: row.id })).toEqual([]);
    expect(await store.delete(other, row.id)).toBe(false);
    expect((await store.list(owner, 10, null)).map((r) => r.id)).toEqual([row.id]);
  });

  it('delete removes the own row once and returns false for unknown or malformed ids', async () => {
    const userId = newUser();
    const { prediction: row } = await store.insert(prediction(userId));
    expect(await store.delete(userId, randomUUID())).toBe(false);
    expect(await store.delete(userId, 'not-a-uuid')).toBe(false);
    expect(await store.delete(userId, row.id)).toBe(true);
    expect(await store.delete(userId, row.id)).toBe(false);
    expect(await store.list(userId, 10, null)).toEqual([]);
  });

  it('list rejects a malformed cursor with a 400 instead of a database error', async () => {
    const cursor = { createdAt: 'yesterday', id: randomUUID() };
    await expect(store.list(newUser(), 10, cursor)).rejects.toBeInstanceOf(BadRequestError);
  });

  it.each([
    '2026-02-30T00:00:00.000000Z',
    '2026-13-01T00:00:00.000000Z',
    '2026-01-01T25:00:00.000000Z',
    '0000-01-01T00:00:00.000000Z',
  ])(
    'list rejects a cursor at %s (the right shape, not a real time) with a 400 before any statement',
    async (createdAt) => {
      await expect(store.list(newUser(), 10, { createdAt, id: randomUUID() })).rejects.toBeInstanceOf(
        BadRequestError,
      );
    },
  );

  it('stores a value with a surrogate pair (an emoji) exactly as sent', async () => {
    const userId = `${newUser()}-🐾`;
    const { prediction: row } = await store.insert(prediction(userId, { modelVersion: 'v🐶1' }));
    expect(row).toMatchObject({ userId, modelVersion: 'v🐶1' });
    expect((await store.list(userId, 10, null))[0]).toEqual(row);
  });

  it('ping resolves while the database is reachable', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
}
