import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDataApiStore } from '../../../../shared/adapters/store/data-api-store.js';
import {
  RetryingStore,
  type RetryingStoreOptions,
} from '../../../../shared/adapters/store/retrying-store.js';
import type { SqlPredictionStore } from '../../../../shared/adapters/store/sql-prediction-store.js';
import type { AppError } from '../../../../shared/errors.js';
import { silentLogger } from '../../../../shared/observability/logger.js';
import {
  type DataApiEmulator,
  databaseNameOf,
  emulatorClientOptions,
  startPostgresDataApi,
  TEST_TARGET,
} from '../../../support/data-api.js';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../../../support/services.js';
import { startTcpProxy, type TcpProxy } from '../../../support/tcp-proxy.js';
import { prediction } from './store-contract.js';

const available = await postgresAvailable();
const migrationsDir = fileURLToPath(new URL('../../../../migrations/', import.meta.url));

describe.skipIf(!available)('RetryingStore over the Data API store (emulator -> PostgreSQL)', () => {
  let emulator: DataApiEmulator;
  let database: TempDatabase;
  let inner: SqlPredictionStore;
  beforeAll(async () => {
    database = await createTempDatabase();
    emulator = await startPostgresDataApi();
    inner = await openDataApiStore({
      ...TEST_TARGET,
      database: databaseNameOf(database.url),
      // SDK retries off: RetryingStore is the only layer retrying, so the counts below are its own.
      clientOptions: emulatorClientOptions(emulator, { maxAttempts: 1 }),
      migrationsDir,
    });
  });
  afterEach(() => emulator.faults.clear());
  afterAll(async () => {
    await inner?.close();
    await emulator?.close();
    await database?.drop();
  });

  const fast = (options: Partial<RetryingStoreOptions> = {}) =>
    new RetryingStore(inner, { logger: silentLogger(), baseDelayMs: 50, maxDelayMs: 500, ...options });
  /**
   * The store's own clock, advanced by its waits alone: the faults are counted, not timed, so how long
   * the real calls take on a busy machine changes nothing, and no wall-clock time is asserted.
   */
  const virtualTime = () => {
    let clock = 0;
    return {
      now: () => clock,
      sleep: async (ms: number) => {
        clock += ms;
      },
      elapsed: () => clock,
    };
  };
  const rowsOf = async (userId: string) =>
    (await inner.db.query('SELECT id FROM predictions WHERE user_id = $1', [userId])).length;

  it('a save succeeds once Aurora has resumed (its calls refused with DatabaseResumingException until then), writing one row', async () => {
    const userId = `user-${randomUUID()}`;
    const time = virtualTime();
    let retries = 0;
    const store = fast({ ...time, onRetry: () => retries++ });
    emulator.faults.failNext(5, 'DatabaseResumingException');
    const { created } = await store.insert(prediction(userId, { idempotencyKey: 'resume' }));
    expect(created).toBe(true);
    expect(retries).toBe(5);
    expect(time.elapsed()).toBeGreaterThan(0);
    expect(await rowsOf(userId)).toBe(1);
  });

  it('gives up after the budget with STORE_UNAVAILABLE and writes nothing', async () => {
    const userId = `user-${randomUUID()}`;
    const time = virtualTime();
    emulator.faults.failNext(1_000, 'DatabaseResumingException');
    const error = await fast({ ...time, budgetMs: 2_000 })
      .insert(prediction(userId, { idempotencyKey: 'budget' }))
      .catch((e: unknown) => e);
    expect(time.elapsed()).toBeLessThanOrEqual(2_000);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', retryAfterSeconds: 5 });
    expect((error as AppError).cause).toMatchObject({ name: 'DatabaseResumingException' });
    emulator.faults.clear();
    expect(await rowsOf(userId)).toBe(0);
  });

  it('does not retry BadRequestException: one call, the SQL error surfaces', async () => {
    const before = emulator.requestCount('/Execute');
    const invalid = prediction(`user-${randomUUID()}`, { confidence: 2 }); // violates the CHECK constraint
    await expect(fast().insert(invalid)).rejects.toMatchObject({ name: 'BadRequestException' });
    expect(emulator.requestCount('/Execute') - before).toBe(1);
  });

  it("stops at the caller's deadline: no call after its signal aborts", async () => {
    const time = virtualTime();
    const deadline = new AbortController();
    const sleep = time.sleep;
    time.sleep = async (ms) => {
      await sleep?.(ms);
      if (time.elapsed() >= 1_500) deadline.abort();
    };
    emulator.faults.failNext(1_000, 'DatabaseResumingException');
    const store = fast({ ...time, signal: deadline.signal });
    await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    const calls = emulator.requestCount('/Execute');
    await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(emulator.requestCount('/Execute')).toBe(calls);
    emulator.faults.clear();
  });

  it('an answer lost after commit: the retry returns the same row with a key, duplicates without one', async () => {
    const userId = `user-${randomUUID()}`;
    emulator.faults.failNext(1, 'ServiceUnavailableError', 'after');
    const keyed = await fast().insert(prediction(userId, { idempotencyKey: 'lost-answer' }));
    expect(keyed.created).toBe(false); // the first attempt's row, found through the key
    expect(await rowsOf(userId)).toBe(1);

    const other = `user-${randomUUID()}`;
    emulator.faults.failNext(1, 'ServiceUnavailableError', 'after');
    await fast().insert(prediction(other));
    expect(await rowsOf(other)).toBe(2); // the documented hazard of keyless saves
  });
});

describe.skipIf(!available)('RetryingStore deadline over a black-holed Data API endpoint', () => {
  let emulator: DataApiEmulator;
  let database: TempDatabase;
  let endpoint: TcpProxy;
  let inner: SqlPredictionStore;
  beforeAll(async () => {
    database = await createTempDatabase();
    emulator = await startPostgresDataApi();
    const url = new URL(emulator.url);
    endpoint = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
    // The SDK's own retries stay on, as deployed: none may follow a call the deadline aborted.
    inner = await openDataApiStore({
      ...TEST_TARGET,
      database: databaseNameOf(database.url),
      clientOptions: emulatorClientOptions({ url: `http://127.0.0.1:${endpoint.port}` }),
      migrationsDir,
    });
  });
  afterAll(async () => {
    await inner?.close();
    await endpoint?.close();
    await emulator?.close();
    await database?.drop();
  });

  it('aborts the attempt still waiting at the deadline: its connection is closed, and it is never sent', async () => {
    const store = new RetryingStore(inner, { logger: silentLogger(), deadlineMs: 300 });
    await store.ping();
    // Calls one after another share one kept-alive connection, which the insert below will wait on.
    expect(endpoint.connections).toBe(1);
    endpoint.stall();
    const userId = `user-${randomUUID()}`;
    await expect(store.insert(prediction(userId, { idempotencyKey: 'abandoned' }))).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      status: 503,
    });
    // Left to itself, the SDK would hold that connection for its 50 s request timeout, then send again.
    for (const started = Date.now(); endpoint.connections > 0; ) {
      if (Date.now() - started > 3_000) throw new Error('the abandoned connection is still open');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await endpoint.restore();
    const before = emulator.requestCount('/Execute');
    await store.ping();
    expect(emulator.requestCount('/Execute') - before).toBe(1);
    expect((await inner.db.query('SELECT id FROM predictions WHERE user_id = $1', [userId])).length).toBe(0);
  });
});
