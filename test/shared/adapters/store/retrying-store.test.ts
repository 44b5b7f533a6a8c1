import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  READ_OPERATIONS,
  RetryingStore,
  type RetryingStoreOptions,
} from '../../../../shared/adapters/store/retrying-store.js';
import { StoreConnectionError } from '../../../../shared/adapters/store/store-unavailable.js';
import { ServiceUnavailableError } from '../../../../shared/errors.js';
import { silentLogger } from '../../../../shared/observability/logger.js';
import type { Logger } from '../../../../shared/ports/logger.js';
import type { PredictionStore } from '../../../../shared/ports/prediction-store.js';

// The retry policy on stubs and virtual time; over the Data API and PostgreSQL in
// retrying-store.integration.test.ts.

const named = (name: string, message = 'failed', status?: number) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

/** A store whose every operation fails with `errors` in turn, then succeeds; counts calls. */
function flakyStore(...errors: unknown[]): PredictionStore & { calls: number } {
  const call = async () => {
    store.calls += 1;
    const error = errors.shift();
    if (error !== undefined) throw error;
  };
  const store = {
    calls: 0,
    insert: call,
    findByIdempotencyKey: call,
    list: call,
    get: call,
    delete: call,
    ping: call,
  };
  return store as unknown as PredictionStore & { calls: number };
}

/** A lost connection, as pg's adapter reports it. */
const connectionLost = () => new StoreConnectionError(new Error('Connection terminated unexpectedly'));

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

  it("stops waiting and starts no attempt once the request's signal aborts (its deadline)", async () => {
    const deadline = new AbortController();
    const time = virtualTime();
    const sleep = time.sleep;
    time.sleep = async (ms) => {
      await sleep?.(ms);
      if (time.elapsed() >= 2_500) deadline.abort();
    };
    const inner = flakyStore(...Array.from({ length: 50 }, () => named('DatabaseResumingException')));
    const store = new RetryingStore(inner, time).forRequest({ signal: deadline.signal });
    await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(deadline.signal.aborted).toBe(true);
    const calls = inner.calls;
    expect(calls).toBeGreaterThan(1); // it did use the time it had
    await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(inner.calls).toBe(calls);
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
    expect(events).toHaveLength(2);
    expect(warnings).toEqual([
      expect.objectContaining({ operation: 'ping', attempt: 1, errorName: 'ThrottlingException' }),
      expect.objectContaining({ operation: 'ping', attempt: 2, errorName: 'DatabaseResumingException' }),
    ]);
    expect(events).toEqual(warnings);
  });

  it("reports retries to a request's view as well as its own listener, logged with the request's ids", async () => {
    const own: unknown[] = [];
    const warnings: object[] = [];
    const logger = { ...silentLogger(), warn: (obj: object) => warnings.push(obj) } as Logger;
    let counted = 0;
    const store = new RetryingStore(
      flakyStore(named('ThrottlingException')),
      virtualTime({ logger, onRetry: (event) => own.push(event) }),
    );
    await store.forRequest({ onRetry: () => counted++, logFields: { requestId: 'r-1' } }).ping();
    expect(own).toHaveLength(1);
    expect(counted).toBe(1);
    expect(warnings).toEqual([expect.objectContaining({ requestId: 'r-1', operation: 'ping', attempt: 1 })]);
  });

  it('answers STORE_UNAVAILABLE at once for an operation it is not told to retry, and retries the others', async () => {
    const time = virtualTime({ retried: READ_OPERATIONS });
    const writes = flakyStore(connectionLost());
    const error = await new RetryingStore(writes, time).insert({} as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', retryAfterSeconds: 5 });
    expect(writes.calls).toBe(1);
    const reads = flakyStore(connectionLost(), connectionLost());
    await new RetryingStore(reads, time).list('u', 1, null);
    await new RetryingStore(reads, time).get('u', 'id');
    expect(reads.calls).toBe(4);
  });

  it('stops after maxAttempts with STORE_UNAVAILABLE', async () => {
    const inner = flakyStore(connectionLost(), connectionLost(), connectionLost());
    await expect(new RetryingStore(inner, virtualTime({ maxAttempts: 2 })).ping()).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    expect(inner.calls).toBe(2);
  });

  it('does not try again once an attempt has used up the budget (a query that timed out)', async () => {
    const time = virtualTime({ budgetMs: 1_000 });
    const store = {
      calls: 0,
      async ping() {
        store.calls += 1;
        await time.sleep?.(1_000);
        throw connectionLost();
      },
    };
    await expect(new RetryingStore(store as unknown as PredictionStore, time).ping()).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    expect(store.calls).toBe(1);
  });

  it('starts no attempt that could not end before deadlineMs, judged by the one that just failed', async () => {
    const time = virtualTime({ deadlineMs: 1_000 });
    const store = {
      calls: 0,
      async ping() {
        store.calls += 1;
        await time.sleep?.(400);
        throw connectionLost();
      },
    };
    await expect(new RetryingStore(store as unknown as PredictionStore, time).ping()).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    // 400 + 99 + 400 fits in 1 000 ms; 899 + 199 + 400 does not.
    expect(store.calls).toBe(2);
    expect(time.elapsed()).toBeLessThanOrEqual(1_000);
  });

  it('passes every other error through untouched, retrying none', async () => {
    const bug = new TypeError('x is undefined');
    const inner = flakyStore(bug);
    await expect(new RetryingStore(inner, virtualTime()).insert({} as never)).rejects.toBe(bug);
    expect(inner.calls).toBe(1);
  });
});

describe('RetryingStore deadline (fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    { case: 'its own deadline (a server)', deadlineMs: 2_000 },
    { case: 'its own deadline, before the caller runs out', deadlineMs: 2_000, callerMs: 10_000 },
    { case: "the caller's deadline, first", deadlineMs: 10_000, callerMs: 2_000 },
    { case: "the caller's deadline, without one of its own", callerMs: 2_000 },
  ])('aborts and abandons an attempt still running at $case, answering STORE_UNAVAILABLE', async (limits) => {
    vi.useFakeTimers();
    let signal: AbortSignal | undefined;
    const hanging = {
      delete: (_user: string, _id: string, given?: AbortSignal) => {
        signal = given;
        return new Promise<never>(() => undefined);
      },
    } as unknown as PredictionStore;
    const caller = new AbortController();
    if (limits.callerMs !== undefined) setTimeout(() => caller.abort(), limits.callerMs);
    const store = new RetryingStore(hanging, {
      logger: silentLogger(),
      ...(limits.deadlineMs === undefined ? {} : { deadlineMs: limits.deadlineMs }),
    }).forRequest({ signal: caller.signal });
    const answer = store.delete('u', 'id').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(await Promise.race([answer, Promise.resolve('pending')])).toBe('pending');
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await answer).toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503, retryAfterSeconds: 5 });
    expect(signal?.aborted).toBe(true);
  });

  it('sets no timer without a deadline', async () => {
    vi.useFakeTimers();
    const store = new RetryingStore(flakyStore(), { logger: silentLogger() });
    await store.ping();
    expect(vi.getTimerCount()).toBe(0);
  });
});
