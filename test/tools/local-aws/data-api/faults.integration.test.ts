import type { RDSDataClient } from '@aws-sdk/client-rds-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DataApiEmulator,
  emulatorClient,
  startPgliteDataApi,
  TEST_TARGET,
} from '../../../support/data-api.js';
import { exec, failure, type Target } from './data-api-protocol.js';

describe('Data API emulator fault switch and HTTP surface', () => {
  let emulator: DataApiEmulator;
  let client: RDSDataClient;
  let t: Target;
  beforeAll(async () => {
    emulator = await startPgliteDataApi();
    // No SDK retries: each injected fault must reach the test as the error it is.
    client = emulatorClient(emulator, { maxAttempts: 1 });
    t = { client, emulator, database: 'faults' };
  });
  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
  });

  it('failNext answers the next n calls with the fault, then serves again', async () => {
    emulator.faults.failNext(2, 'DatabaseResumingException');
    for (let i = 0; i < 2; i += 1) {
      const error = await failure(exec(t, 'SELECT 1 AS one'));
      expect(error.name).toBe('DatabaseResumingException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
    expect((await exec(t, 'SELECT 1 AS one')).records).toEqual([[{ longValue: 1 }]]);
  });

  it.each([
    ['ServiceUnavailableError', 503],
    ['ThrottlingException', 429],
    ['StatementTimeoutException', 400],
  ] as const)('a %s fault has status %i and the SDK error of that name', async (type, status) => {
    emulator.faults.failNext(1, type);
    const error = await failure(exec(t, 'SELECT 1 AS one'));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual([type, status]);
  });

  it('failFor fails every call during the window only', async () => {
    emulator.faults.failFor(300, 'DatabaseResumingException');
    await expect(exec(t, 'SELECT 1 AS one')).rejects.toMatchObject({ name: 'DatabaseResumingException' });
    await new Promise((resolve) => setTimeout(resolve, 350));
    await expect(exec(t, 'SELECT 1 AS one')).resolves.toMatchObject({ records: [[{ longValue: 1 }]] });
  });

  it("an 'after' fault runs and commits the statement, then loses the answer", async () => {
    await exec(t, 'CREATE TABLE lost_answer (n integer)');
    emulator.faults.failNext(1, 'ServiceUnavailableError', 'after');
    await expect(exec(t, 'INSERT INTO lost_answer VALUES (1)')).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
    expect((await exec(t, 'SELECT n FROM lost_answer')).records).toEqual([[{ longValue: 1 }]]);
  });

  it('POST /_emulator/faults drives the same switch; a bad request is a 400', async () => {
    const control = (body: unknown) =>
      fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify(body) });
    expect((await control({ type: 'ThrottlingException', count: 1 })).status).toBe(200);
    await expect(exec(t, 'SELECT 1 AS one')).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect((await control({ type: 'DatabaseResumingException', durationMs: 60_000 })).status).toBe(200);
    expect((await control({ clear: true })).status).toBe(200);
    await expect(exec(t, 'SELECT 1 AS one')).resolves.toBeDefined();
    expect((await control({ type: 'NoSuchException', count: 1 })).status).toBe(400);
  });

  it('refuses an unsigned request with 403 and an unknown route with 404', async () => {
    const body = JSON.stringify({ ...TEST_TARGET, sql: 'SELECT 1' });
    const unsigned = await fetch(`${emulator.url}/Execute`, { method: 'POST', body });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
    const unknown = await fetch(`${emulator.url}/ExecuteSql`, {
      method: 'POST',
      body,
      headers: { authorization: 'x' },
    });
    expect(unknown.status).toBe(404);
  });

  it('counts the calls it receives, faulted ones included', async () => {
    const before = emulator.requestCount('/Execute');
    emulator.faults.failNext(1, 'DatabaseResumingException');
    await exec(t, 'SELECT 1 AS one').catch(() => undefined);
    await exec(t, 'SELECT 1 AS one');
    expect(emulator.requestCount('/Execute') - before).toBe(2);
  });
});
