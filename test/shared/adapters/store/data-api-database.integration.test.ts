import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataApiDatabase } from '../../../../shared/adapters/store/data-api-database.js';
import { type DataApiEmulator, emulatorDatabase, startPgliteDataApi } from '../../../support/data-api.js';

describe('DataApiDatabase through the emulator (PGlite)', () => {
  let emulator: DataApiEmulator;
  let db: DataApiDatabase;
  beforeAll(async () => {
    emulator = await startPgliteDataApi();
    db = emulatorDatabase(emulator, 'adapter');
    await db.query('CREATE TABLE items (n integer NOT NULL)');
  });
  afterAll(async () => {
    await db?.close();
    await emulator?.close();
  });

  it('returns rows keyed by column label with the JS types pg would give', async () => {
    const rows = await db.query(
      `SELECT '$1' AS lit, CAST($1 AS text) AS s, CAST($2 AS integer) AS i, CAST($3 AS double precision) AS f,
        CAST($4 AS boolean) AS b, CAST($5 AS text) AS z, '\\x0102'::bytea AS bytes`,
      ['x', 3, 0.25, false, null],
    );
    expect(rows).toEqual([
      { lit: '$1', s: 'x', i: 3, f: 0.25, b: false, z: null, bytes: Buffer.from([1, 2]) },
    ]);
  });

  it('binds each JS type with the PostgreSQL type Aurora uses', async () => {
    const [row] = await db.query(
      'SELECT pg_typeof($1)::text AS s, pg_typeof($2)::text AS i, pg_typeof($3)::text AS f, pg_typeof($4)::text AS b',
      ['x', 1, 1.5, true],
    );
    expect(row).toEqual({ s: 'character varying', i: 'bigint', f: 'double precision', b: 'boolean' });
  });

  it('commits a transaction whose function resolves', async () => {
    const result = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO items (n) VALUES (CAST($1 AS integer))', [1]);
      return tx.query('SELECT n FROM items');
    });
    expect(result).toEqual([{ n: 1 }]);
    expect(await db.query('SELECT n FROM items')).toEqual([{ n: 1 }]);
  });

  it("rolls back when the function throws, and rethrows the function's error", async () => {
    const boom = new Error('boom');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO items (n) VALUES (2)');
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await db.query('SELECT n FROM items ORDER BY n')).toEqual([{ n: 1 }]);
    expect(emulator.openTransactions()).toBe(0);
  });

  it('rolls back after a failed statement and surfaces the SQL error', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO items (n) VALUES (3)');
        await tx.query('INSERT INTO items (n) VALUES (NULL)');
      }),
    ).rejects.toMatchObject({ name: 'BadRequestException', message: expect.stringContaining('null value') });
    expect(await db.query('SELECT n FROM items ORDER BY n')).toEqual([{ n: 1 }]);
  });
});
