import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDataApiStore } from '../../../../shared/adapters/store/data-api-store.js';
import {
  RetryingStore,
  type RetryingStoreOptions,
} from '../../../../shared/adapters/store/retrying-store.js';
import type { SqlPredictionStore } from '../../../../shared/adapters/store/sql-prediction-store.js';
import { type AppError, ServiceUnavailableError } from '../../../../shared/errors.js';
import { silentLogger } from '../../../../shared/logger.js';
import type { Logger } from '../../../../shared/ports/logger.js';
import type { PredictionStore } from '../../../../shared/ports/prediction-store.js';
import {
  type DataApiEmulator,
  databaseNameOf,
  emulatorClientOptions,
  startPostgresDataApi,
  TEST_TARGET,
} from '../../../support/data-api.js';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../../../support/services.js';
import { prediction } from './store-contract.js';

const named = (name: string, message = 'failed', status?: number) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

/** A store whose ping fails with `errors` in turn, then succeeds; counts calls. */
function flakyStore(...errors: unknown[]): PredictionStore & { calls: number } {
  const store = {
    calls: 0,
    async ping() {
      store.calls += 1;
      const error = errors.shift();
      if (error !== undefined) throw error;
    },
  };
  return store as unknown as PredictionStore & { calls: number };
}

/** Virtual time: sleep advances the clock instead of waiting. */
function virtualTime(
  options: Partial<RetryingStoreOptions> = {},
): RetryingStoreOptions & { delays: number[]; elapsed: () => number } {
  let clock = 0;
  const delays: number[] = [];
  return {
    logger: silentLogger(),
    now: () => clock,
    sleep: async (ms) => {
      delays.push(ms);
      clock += ms;
    },
    random: () => 0.999,
    delays,
    elapsed: () => clock,
    ...options,
  };
}

describe('RetryingStore policy (no network)', () => {
  it('retries by the error name, never by message text', async () => {
    const inner = flakyStore(
      named('DatabaseResumingException', 'anything'),
      named('Error', 'DatabaseResumingException'),
    );
    await expect(new RetryingStore(inner, virtualTime()).ping()).rejects.toThrow('DatabaseResumingException');
    expect(inner.calls).toBe(2);
  });

  it.each(['StatementTimeoutException', 'ServiceUnavailableError', 'ThrottlingException'])(
    'retries %s',
    async (name) => {
      const inner = flakyStore(named(name));
      await new RetryingStore(inner, virtualTime()).ping();
      expect(inner.calls).toBe(2);
    },
  );

  it('retries other 5xx answers by status, and never BadRequestException or its own AppErrors', async () => {
    const server = flakyStore(named('InternalServerErrorException', 'x', 500));
    await new RetryingStore(server, virtualTime()).ping();
    expect(server.calls).toBe(2);
    for (const error of [
      named('BadRequestException', 'x', 400),
      new ServiceUnavailableError('NOT_READY', 'x'),
    ]) {
      const inner = flakyStore(error);
      await expect(new RetryingStore(inner, virtualTime()).ping()).rejects.toBe(error);
      expect(inner.calls).toBe(1);
    }
  });

  it('waits with capped exponential full-jitter backoff', async () => {
    const time = virtualTime({ baseDelayMs: 100, maxDelayMs: 500 });
    const inner = flakyStore(...Array.from({ length: 5 }, () => named('DatabaseResumingException')));
    await new RetryingStore(inner, time).ping();
    expect(time.delays).toEqual([99, 199, 399, 499, 499]);
    const low = virtualTime({ random: () => 0.5 });
    await new RetryingStore(flakyStore(named('ThrottlingException')), low).ping();
    expect(low.delays).toEqual([50]);
  });

  it('past the budget throws STORE_UNAVAILABLE with Retry-After and the last error as cause', async () => {
    const last = named('DatabaseResumingException');
    const inner = flakyStore(...Array.from({ length: 50 }, () => last));
    const time = virtualTime({ budgetMs: 2_000, retryAfterSeconds: 7 });
    const error = await new RetryingStore(inner, time).ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({
      code: 'STORE_UNAVAILABLE',
      status: 503,
      retryAfterSeconds: 7,
      cause: last,
    });
    expect(time.delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2_000);
  });

  it('never waits past the deadline minus the safety margin', async () => {
    const time = virtualTime({ safetyMarginMs: 500 });
    time.remainingTimeMs = () => 3_000 - time.elapsed();
    const inner = flakyStore(...Array.from({ length: 50 }, () => named('DatabaseResumingException')));
    await expect(new RetryingStore(inner, time).ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(time.elapsed()).toBeLessThanOrEqual(2_500);
    expect(time.elapsed()).toBeGreaterThan(1_000); // it did use the time it had
  });

  it('logs a warning per retry with attempt and error name, and reports it for metrics', async () => {
    const warnings: object[] = [];
    const logger = { ...silentLogger(), warn: (obj: object) => warnings.push(obj) } as Logger;
    const events: unknown[] = [];
    const store = new RetryingStore(
      flakyStore(named('ThrottlingException'), named('DatabaseResumingException')),
      virtualTime({ logger, onRetry: (event) => events.push(event) }),
    );
    await store.ping();
    expect(store.retries).toBe(2);
    expect(warnings).toEqual([
      expect.objectContaining({ operation: 'ping', attempt: 1, errorName: 'ThrottlingException' }),
      expect.objectContaining({ operation: 'ping', attempt: 2, errorName: 'DatabaseResumingException' }),
    ]);
    expect(events).toEqual(warnings);
  });
});

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
  const rowsOf = async (userId: string) =>
    (await inner.db.query('SELECT id FROM predictions WHERE user_id = $1', [userId])).length;

  it('a save succeeds once Aurora has resumed (5 s of DatabaseResumingException), writing one row', async () => {
    const userId = `user-${randomUUID()}`;
    const store = fast();
    emulator.faults.failFor(5_000, 'DatabaseResumingException');
    const started = Date.now();
    const { created } = await store.insert(prediction(userId, { idempotencyKey: 'resume' }));
    expect(created).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expect(store.retries).toBeGreaterThan(3);
    expect(await rowsOf(userId)).toBe(1);
  });

  it('gives up after the budget with STORE_UNAVAILABLE and writes nothing', async () => {
    const userId = `user-${randomUUID()}`;
    emulator.faults.failFor(10_000, 'DatabaseResumingException');
    const started = Date.now();
    const error = await fast({ budgetMs: 2_000 })
      .insert(prediction(userId, { idempotencyKey: 'budget' }))
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3_000);
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

  it('stops before the caller deadline', async () => {
    emulator.faults.failFor(10_000, 'DatabaseResumingException');
    const deadline = Date.now() + 1_500;
    await expect(fast({ remainingTimeMs: () => deadline - Date.now() }).ping()).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    expect(Date.now()).toBeLessThan(deadline);
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
