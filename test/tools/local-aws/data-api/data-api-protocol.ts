/** The RDS Data API protocol cases, run by the emulator suites on PostgreSQL and on PGlite. */
import {
  BatchExecuteStatementCommand,
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  type ExecuteStatementCommandInput,
  type RDSDataClient,
  RollbackTransactionCommand,
  type SqlParameter,
} from '@aws-sdk/client-rds-data';
import { expect, it } from 'vitest';
import { type DataApiEmulator, TEST_TARGET } from '../../../support/data-api.js';

export interface Target {
  client: RDSDataClient;
  emulator: DataApiEmulator;
  database: string;
}

export const str = (name: string, value: string, typeHint?: SqlParameter['typeHint']): SqlParameter => ({
  name,
  value: { stringValue: value },
  typeHint,
});

export function exec(
  t: Target,
  sql: string,
  parameters?: SqlParameter[],
  extra: Partial<ExecuteStatementCommandInput> = {},
) {
  return t.client.send(
    new ExecuteStatementCommand({ ...TEST_TARGET, database: t.database, sql, parameters, ...extra }),
  );
}

export const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the call should have failed'),
    (error: unknown) => error as Error & { $metadata: { httpStatusCode?: number } },
  );

/** Cases that hold on either backend. */
export function registerProtocolCases(target: () => Target): void {
  it('maps PostgreSQL types to typed Fields the way Aurora does', async () => {
    const id = '6f1c2a52-3f5e-4b8e-9a47-0c1d2e3f4a5b';
    const out = await exec(
      target(),
      `SELECT :id AS id, CAST(:ts AS timestamptz) AS ts, CAST(:doc AS jsonb) AS doc, :d AS d, :big AS big,
        :flag AS flag, CAST(:nothing AS text) AS nothing, :blob AS blob, 12.50 AS num, ARRAY[1, 2] AS ints`,
      [
        str('id', id, 'UUID'),
        str('ts', '2024-05-06T07:08:09.123456+02:00'),
        str('doc', '{"a":[1,2]}'),
        { name: 'd', value: { doubleValue: 1.5 } },
        { name: 'big', value: { longValue: 2 ** 53 - 1 } },
        { name: 'flag', value: { booleanValue: true } },
        { name: 'nothing', value: { isNull: true } },
        { name: 'blob', value: { blobValue: Buffer.from([0, 1, 254, 255]) } },
      ],
      { includeResultMetadata: true },
    );
    expect(out.records).toEqual([
      [
        { stringValue: id },
        { stringValue: '2024-05-06 05:08:09.123456' },
        { stringValue: '{"a": [1, 2]}' },
        { doubleValue: 1.5 },
        { longValue: 2 ** 53 - 1 },
        { booleanValue: true },
        { isNull: true },
        { blobValue: new Uint8Array([0, 1, 254, 255]) },
        { stringValue: '12.50' },
        { arrayValue: { longValues: [1, 2] } },
      ],
    ]);
    expect(out.columnMetadata?.map((c) => [c.label, c.typeName])).toEqual([
      ['id', 'uuid'],
      ['ts', 'timestamptz'],
      ['doc', 'jsonb'],
      ['d', 'float8'],
      ['big', 'int8'],
      ['flag', 'bool'],
      ['nothing', 'text'],
      ['blob', 'bytea'],
      ['num', 'numeric'],
      ['ints', '_int4'],
    ]);
  });

  it('binds a plain stringValue as varchar, so a uuid comparison needs a CAST or the UUID typeHint', async () => {
    const sql = "SELECT 1 AS hit WHERE CAST('6f1c2a52-3f5e-4b8e-9a47-0c1d2e3f4a5b' AS uuid) = :id";
    const id = '6f1c2a52-3f5e-4b8e-9a47-0c1d2e3f4a5b';
    const error = await failure(exec(target(), sql, [str('id', id)]));
    expect(error.name).toBe('BadRequestException');
    expect(error.message).toContain('uuid = character varying');
    expect((await exec(target(), sql, [str('id', id, 'UUID')])).records).toEqual([[{ longValue: 1 }]]);
  });

  it('leaves :name alone inside strings, quoted identifiers, dollar quotes, comments and :: casts', async () => {
    const out = await exec(
      target(),
      `SELECT ':a' AS "x:y", E'\\':b' AS esc, $$:c$$ AS dollar, 7::text AS cast, :v AS v /* :d */ -- :e`,
      [str('v', 'value')],
      { includeResultMetadata: true },
    );
    expect(out.columnMetadata?.map((c) => c.label)).toEqual(['x:y', 'esc', 'dollar', 'cast', 'v']);
    expect(out.records).toEqual([
      [
        { stringValue: ':a' },
        { stringValue: "':b" },
        { stringValue: ':c' },
        { stringValue: '7' },
        { stringValue: 'value' },
      ],
    ]);
  });

  it('answers SQL errors with BadRequestException carrying the PostgreSQL message', async () => {
    const error = await failure(exec(target(), 'SELECT * FROM no_such_table'));
    expect(error.name).toBe('BadRequestException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain('relation "no_such_table" does not exist');
    expect(error.message).toContain('42P01');
  });

  it('refuses a missing parameter, several statements in one call and a void column', async () => {
    await expect(exec(target(), 'SELECT :missing AS m')).rejects.toMatchObject({
      name: 'BadRequestException',
    });
    await expect(exec(target(), 'SELECT 1; SELECT 2')).rejects.toThrow(/multiple commands/);
    await expect(exec(target(), 'SELECT pg_sleep(0)')).rejects.toMatchObject({
      name: 'UnsupportedResultException',
    });
  });

  it('formatRecordsAs JSON fills formattedRecords (numbers as numbers, jsonb as text) and no records', async () => {
    const out = await exec(
      target(),
      `SELECT 1 AS n, 0.5::float8 AS f, '{"k": 1}'::jsonb AS j, NULL AS z`,
      undefined,
      {
        formatRecordsAs: 'JSON',
      },
    );
    expect(out.records).toBeUndefined();
    expect(JSON.parse(out.formattedRecords ?? '')).toEqual([{ n: 1, f: 0.5, j: '{"k": 1}', z: null }]);
  });

  it('fails a response over 1 MiB with BadRequestException, as Aurora does', async () => {
    const ok = await exec(target(), "SELECT repeat('x', 1000000) AS big");
    expect(ok.records?.[0]?.[0]?.stringValue).toHaveLength(1_000_000);
    const error = await failure(exec(target(), "SELECT repeat('x', 600000) AS a, repeat('y', 600000) AS b"));
    expect(error).toMatchObject({ name: 'BadRequestException' });
    expect(error.message).toContain('more than the allowed response size limit');
  });

  it('commits and rolls back transactions; an unknown transactionId is NotFoundException', async () => {
    const t = target();
    await exec(t, 'CREATE TABLE IF NOT EXISTS tx_probe (label text NOT NULL)');
    for (const [label, Command] of [
      ['kept', CommitTransactionCommand],
      ['dropped', RollbackTransactionCommand],
    ] as const) {
      const { transactionId } = await t.client.send(
        new BeginTransactionCommand({ ...TEST_TARGET, database: t.database }),
      );
      await exec(t, 'INSERT INTO tx_probe (label) VALUES (:label)', [str('label', label)], { transactionId });
      await t.client.send(new Command({ ...TEST_TARGET, transactionId }));
    }
    expect((await exec(t, 'SELECT label FROM tx_probe')).records).toEqual([[{ stringValue: 'kept' }]]);
    const error = await failure(
      exec(t, 'SELECT 1 AS one', undefined, { transactionId: 'bm90LWEtdHJhbnNhY3Rpb24=' }),
    );
    expect(error.name).toBe('NotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(t.emulator.openTransactions()).toBe(0);
  });

  it('BatchExecute runs one statement per parameter set, all or nothing', async () => {
    const t = target();
    await exec(t, 'CREATE TABLE IF NOT EXISTS batch_probe (n integer PRIMARY KEY)');
    const sets = (ns: number[]) => ns.map((n) => [{ name: 'n', value: { longValue: n } }]);
    const batch = (ns: number[]) =>
      t.client.send(
        new BatchExecuteStatementCommand({
          ...TEST_TARGET,
          database: t.database,
          sql: 'INSERT INTO batch_probe (n) VALUES (:n)',
          parameterSets: sets(ns),
        }),
      );
    expect((await batch([1, 2])).updateResults).toHaveLength(2);
    await expect(batch([3, 1])).rejects.toMatchObject({ name: 'BadRequestException' });
    expect((await exec(t, 'SELECT n FROM batch_probe ORDER BY n')).records).toEqual([
      [{ longValue: 1 }],
      [{ longValue: 2 }],
    ]);
  });
}
