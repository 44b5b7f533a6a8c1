import { ServiceUnavailableError } from '../../errors.js';
import type { Logger } from '../../ports/logger.js';
import type {
  InsertResult,
  ListCursor,
  NewPrediction,
  PredictionStore,
  StoredPrediction,
  StoreScope,
} from '../../ports/prediction-store.js';
import { type BackoffOptions, DEFAULT_BACKOFF, errorName, fullJitterDelay } from './retry-policy.js';
import { isStoreUnavailable } from './store-unavailable.js';

export type StoreOperation = 'insert' | 'find' | 'list' | 'get' | 'delete' | 'ping';

/** The operations that only read: another attempt cannot change what the first one did. */
export const READ_OPERATIONS: ReadonlySet<StoreOperation> = new Set(['find', 'list', 'get', 'ping']);

export interface RetryEvent {
  operation: StoreOperation;
  /** The attempt that failed, from 1. */
  attempt: number;
  errorName: string;
  delayMs: number;
}

export interface RetryingStoreOptions extends Partial<BackoffOptions> {
  logger: Logger;
  /**
   * No attempt starts once one operation has spent this long failing and waiting. Default 30 000 ms:
   * Aurora resumes in ~15 s.
   */
  budgetMs?: number;
  /** Attempts per operation, the first included. Default: as many as the budget allows. */
  maxAttempts?: number;
  /** The operations tried again after an outage. Default: all of them. */
  retried?: ReadonlySet<StoreOperation>;
  /**
   * The whole call, its attempts and waits included, ends within this: an attempt still running then
   * is aborted (its signal) and abandoned. Default: no deadline of its own.
   */
  deadlineMs?: number;
  /**
   * The caller's deadline (one request's, see forRequest): once aborted, an attempt still running is
   * abandoned the same way, and none is started.
   */
  signal?: AbortSignal | undefined;
  /** On every log line (the request's ids). */
  logFields?: Readonly<Record<string, string>> | undefined;
  /** Sent as Retry-After with STORE_UNAVAILABLE. Default 5 s. */
  retryAfterSeconds?: number;
  /** For metrics: called before each wait. */
  onRetry?: (event: RetryEvent) => void;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Turns store outages (isStoreUnavailable: a connection refused, reset, terminated or timed out, Aurora
 * resuming from zero capacity, throttling, 5xx) into ServiceUnavailableError('STORE_UNAVAILABLE') with
 * Retry-After, after retrying the operations it is told to with full-jitter exponential backoff, within a
 * time budget, and never past a deadline (its own, or the caller's). Any other error passes through.
 * Wraps any PredictionStore.
 *
 * Exactly-once: a retried insert is safe when it carries an idempotency key. If the first attempt
 * committed but its answer was lost (a timeout or 5xx after commit), the retry conflicts on
 * (user_id, idempotency_key) and returns the first row (created: false). An insert WITHOUT a key has
 * no such anchor: the same lost answer makes the retry write a second row. The store cannot tell the
 * cases apart; only a key can, which is why the API layer should always supply one.
 */
export class RetryingStore implements PredictionStore {
  private readonly backoff: BackoffOptions;

  constructor(
    private readonly inner: PredictionStore,
    private readonly options: RetryingStoreOptions,
  ) {
    this.backoff = {
      baseDelayMs: options.baseDelayMs ?? DEFAULT_BACKOFF.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs,
    };
  }

  insert(prediction: NewPrediction): Promise<InsertResult> {
    return this.withRetries('insert', (signal) => this.inner.insert(prediction, signal));
  }

  findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<StoredPrediction | null> {
    return this.withRetries('find', (signal) =>
      this.inner.findByIdempotencyKey(userId, idempotencyKey, signal),
    );
  }

  list(userId: string, limit: number, after: ListCursor | null): Promise<StoredPrediction[]> {
    return this.withRetries('list', (signal) => this.inner.list(userId, limit, after, signal));
  }

  get(userId: string, id: string): Promise<StoredPrediction | null> {
    return this.withRetries('get', (signal) => this.inner.get(userId, id, signal));
  }

  delete(userId: string, id: string): Promise<boolean> {
    return this.withRetries('delete', (signal) => this.inner.delete(userId, id, signal));
  }

  ping(): Promise<void> {
    return this.withRetries('ping', (signal) => this.inner.ping(signal));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The same store as one request sees it: its retries reported to it, its calls ended by its deadline. */
  forRequest(scope: StoreScope): RetryingStore {
    const own = this.options.onRetry;
    return new RetryingStore(this.inner, {
      ...this.options,
      signal: scope.signal,
      logFields: scope.logFields,
      onRetry: (event) => {
        own?.(event);
        scope.onRetry?.();
      },
    });
  }

  private async withRetries<T>(
    operation: StoreOperation,
    call: (signal?: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const { logger, onRetry, maxAttempts = Number.POSITIVE_INFINITY, retried, signal } = this.options;
    const now = this.options.now ?? Date.now;
    const started = now();
    const deadline = started + (this.options.deadlineMs ?? Number.POSITIVE_INFINITY);
    for (let attempt = 1; ; attempt += 1) {
      if (signal?.aborted) throw this.outOfTime();
      const callStarted = now();
      try {
        return await this.beforeDeadline(call, deadline);
      } catch (error) {
        if (!isStoreUnavailable(error)) throw error;
        const delayMs = fullJitterDelay(attempt, this.backoff, this.options.random ?? Math.random);
        const again =
          attempt < maxAttempts &&
          (retried?.has(operation) ?? true) &&
          this.timeLeftFor(started, deadline, delayMs, now() - callStarted);
        if (!again) throw this.unavailable(error);
        const event: RetryEvent = { operation, attempt, errorName: errorName(error), delayMs };
        logger.warn({ ...this.options.logFields, ...event }, 'store call failed, retrying');
        onRetry?.(event);
        await this.untilDeadline((this.options.sleep ?? defaultSleep)(delayMs));
      }
    }
  }

  private unavailable(cause: unknown): ServiceUnavailableError {
    return new ServiceUnavailableError(
      'STORE_UNAVAILABLE',
      'The prediction store is temporarily unavailable; try again shortly.',
      this.options.retryAfterSeconds ?? 5,
      cause,
    );
  }

  private outOfTime(): ServiceUnavailableError {
    return this.unavailable(new Error('The request ran out of time.'));
  }

  /**
   * An attempt still running at the deadline, its own or the caller's (a black-holed network: the Data
   * API's request timeout has to stay above its 45 s statement limit, and the SDK retries timeouts), is
   * aborted and abandoned, to answer 503 in time. Its outcome is unknown, as after any lost answer: a
   * save is safe to retry with its Idempotency-Key, a delete does nothing twice, a read changes nothing.
   */
  private beforeDeadline<T>(call: (signal?: AbortSignal) => Promise<T>, deadline: number): Promise<T> {
    if (!Number.isFinite(deadline) && !this.options.signal) return call();
    const abort = new AbortController();
    const attempt = call(abort.signal);
    attempt.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      if (!Number.isFinite(deadline)) return;
      const leftMs = Math.max(0, deadline - (this.options.now ?? Date.now)());
      timer = setTimeout(() => {
        const error = this.unavailable(new Error(`No answer from the store within ${leftMs} ms.`));
        abort.abort(error);
        reject(error);
      }, leftMs);
    });
    return this.untilDeadline(Promise.race([attempt, expired]), abort).finally(() => clearTimeout(timer));
  }

  /** `work`, unless the caller's deadline comes first: then 503, and `abort` stops what is running. */
  private untilDeadline<T>(work: Promise<T>, abort?: AbortController): Promise<T> {
    const { signal } = this.options;
    if (!signal) return work;
    let onAbort = () => {};
    const late = new Promise<never>((_, reject) => {
      onAbort = () => {
        const error = this.outOfTime();
        abort?.abort(error);
        reject(error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return Promise.race([work, late]).finally(() => signal.removeEventListener('abort', onAbort));
  }

  /**
   * Another attempt must fit the budget after its wait, and leave room before the deadline for itself
   * (estimated by the attempt that just failed).
   */
  private timeLeftFor(started: number, deadline: number, delayMs: number, lastCallMs: number): boolean {
    if (this.options.signal?.aborted) return false;
    const now = (this.options.now ?? Date.now)();
    if (now - started + delayMs > (this.options.budgetMs ?? 30_000)) return false;
    return now + delayMs + lastCallMs <= deadline;
  }
}
