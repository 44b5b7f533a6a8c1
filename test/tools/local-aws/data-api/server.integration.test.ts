import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  type RDSDataClient,
} from '@aws-sdk/client-rds-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DataApiEmulator,
  databaseNameOf,
  emulatorClient,
  startPgliteDataApi,
  startPostgresDataApi,
  TEST_TARGET,
} from '../../../support/data-api.js';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../../../support/services.js';
import { exec, failure, registerProtocolCases, type Target } from './data-api-protocol.js';

const available = await postgresAvailable();

describe.skipIf(!available)('Data API emulator on PostgreSQL, through the real SDK client', () => {
  let emulator: DataApiEmulator;
  let database: TempDatabase;
  let client: RDSDataClient;
  beforeAll(async () => {
    database = await createTempDatabase();
    emulator = await startPostgresDataApi({ statementTimeoutMs: 300, transactionIdleTimeoutMs: 300 });
    client = emulatorClient(emulator, { maxAttempts: 1 });
  });
  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
    await database?.drop();
  });
  const target = (): Target => ({ client, emulator, database: databaseNameOf(database.url) });

  registerProtocolCases(target);

  it('keeps uncommitted rows invisible to other calls until commit', async () => {
    const t = target();
    await exec(t, 'CREATE TABLE isolation_probe (n integer)');
    const { transactionId } = await client.send(
      new BeginTransactionCommand({ ...TEST_TARGET, database: t.database }),
    );
    await exec(t, 'INSERT INTO isolation_probe VALUES (1)', undefined, { transactionId });
    expect((await exec(t, 'SELECT n FROM isolation_probe')).records).toEqual([]);
    await client.send(new CommitTransactionCommand({ ...TEST_TARGET, transactionId }));
    expect((await exec(t, 'SELECT n FROM isolation_probe')).records).toEqual([[{ longValue: 1 }]]);
  });

  it('rolls back a transaction left idle past the timeout; its id is then unknown', async () => {
    const t = target();
    await exec(t, 'CREATE TABLE idle_probe (n integer)');
    const { transactionId } = await client.send(
      new BeginTransactionCommand({ ...TEST_TARGET, database: t.database }),
    );
    await exec(t, 'INSERT INTO idle_probe VALUES (1)', undefined, { transactionId });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const error = await failure(client.send(new CommitTransactionCommand({ ...TEST_TARGET, transactionId })));
    expect(error.name).toBe('NotFoundException');
    expect((await exec(t, 'SELECT n FROM idle_probe')).records).toEqual([]);
  });

  it('cancels a statement past the statement timeout with StatementTimeoutException', async () => {
    const error = await failure(exec(target(), 'SELECT 1 AS one FROM pg_sleep(2)'));
    expect(error.name).toBe('StatementTimeoutException');
  });
});

describe('Data API emulator on PGlite, through the real SDK client', () => {
  let emulator: DataApiEmulator;
  let client: RDSDataClient;
  beforeAll(async () => {
    emulator = await startPgliteDataApi();
    client = emulatorClient(emulator, { maxAttempts: 1 });
  });
  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
  });

  registerProtocolCases(() => ({ client, emulator, database: 'protocol' }));
});
