import { ServiceUnavailableError } from '../../errors.js';
import type { Logger } from '../../ports/logger.js';
import type {
  InsertResult,
  ListCursor,
  NewPrediction,
  PredictionStore,
  StoredPrediction,
} from '../../ports/prediction-store.js';
import {
  type BackoffOptions,
  DEFAULT_BACKOFF,
  errorName,
  fullJitterDelay,
  isTransientStoreError,
} from './retry-policy.js';

export type StoreOperation = 'insert' | 'find' | 'list' | 'delete' | 'ping';

export interface RetryEvent {
  operation: StoreOperation;
  /** The attempt that failed, from 1. */
  attempt: number;
  errorName: string;
  delayMs: number;
}

export interface RetryingStoreOptions extends Partial<BackoffOptions> {
  logger: Logger;
  /** Total time one operation may spend failing and waiting. Default 30 000 ms: Aurora resumes in ~15 s. */
  budgetMs?: number;
  /** Time left before the caller's deadline (Lambda: context.getRemainingTimeInMillis). */
  remainingTimeMs?: () => number;
  /** Kept free before that deadline to answer 503 instead of being killed. Default 500 ms. */
  safetyMarginMs?: number;
  /** Sent as Retry-After once retries are exhausted. Default 5 s. */
  retryAfterSeconds?: number;
  /** Which errors to retry. Default isTransientStoreError (RDS Data API error names, 5xx). */
  isRetryable?: (error: unknown) => boolean;
  /** For metrics: called before each wait. */
  onRetry?: (event: RetryEvent) => void;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries transient store failures (Aurora resuming from zero capacity, throttling, 5xx) with
 * full-jitter exponential backoff, within a time budget and never past the caller's deadline; then
 * answers ServiceUnavailableError('STORE_UNAVAILABLE') with Retry-After. Wraps any PredictionStore.
 *
 * Exactly-once: a retried insert is safe when it carries an idempotency key. If the first attempt
 * committed but its answer was lost (a timeout or 5xx after commit), the retry conflicts on
 * (user_id, idempotency_key) and returns the first row (created: false). An insert WITHOUT a key has
 * no such anchor: the same lost answer makes the retry write a second row. The store cannot tell the
 * cases apart; only a key can, which is why the API layer should always supply one.
 */
export class RetryingStore implements PredictionStore {
  /** Retries performed so far, all operations together. */
  retries = 0;
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
    return this.withRetries('insert', () => this.inner.insert(prediction));
  }

  findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<StoredPrediction | null> {
    return this.withRetries('find', () => this.inner.findByIdempotencyKey(userId, idempotencyKey));
  }

  list(userId: string, limit: number, after: ListCursor | null): Promise<StoredPrediction[]> {
    return this.withRetries('list', () => this.inner.list(userId, limit, after));
  }

  delete(userId: string, id: string): Promise<boolean> {
    return this.withRetries('delete', () => this.inner.delete(userId, id));
  }

  ping(): Promise<void> {
    return this.withRetries('ping', () => this.inner.ping());
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The same store, whose retries are also reported to `onRetry` (one request's metrics). */
  reportingTo(onRetry: (event: RetryEvent) => void): RetryingStore {
    const own = this.options.onRetry;
    return new RetryingStore(this.inner, {
      ...this.options,
      onRetry: (event) => {
        own?.(event);
        onRetry(event);
      },
    });
  }

  private async withRetries<T>(operation: StoreOperation, call: () => Promise<T>): Promise<T> {
    const { logger, onRetry, isRetryable = isTransientStoreError } = this.options;
    const now = this.options.now ?? Date.now;
    const started = now();
    for (let attempt = 1; ; attempt += 1) {
      const callStarted = now();
      try {
        return await call();
      } catch (error) {
        if (!isRetryable(error)) throw error;
        const delayMs = fullJitterDelay(attempt, this.backoff, this.options.random ?? Math.random);
        if (!this.timeLeftFor(started, delayMs, now() - callStarted)) {
          throw new ServiceUnavailableError(
            'STORE_UNAVAILABLE',
            'The prediction store is temporarily unavailable; try again shortly.',
            this.options.retryAfterSeconds ?? 5,
            error,
          );
        }
        this.retries += 1;
        const event: RetryEvent = { operation, attempt, errorName: errorName(error), delayMs };
        logger.warn(event, 'store call failed, retrying');
        onRetry?.(event);
        await (this.options.sleep ?? defaultSleep)(delayMs);
      }
    }
  }

  /**
   * Another attempt must fit the budget after its wait and, with a deadline, leave room for itself
   * (estimated by the attempt that just failed) plus the margin to answer before being killed.
   */
  private timeLeftFor(started: number, delayMs: number, lastCallMs: number): boolean {
    const now = this.options.now ?? Date.now;
    if (now() - started + delayMs > (this.options.budgetMs ?? 30_000)) return false;
    const remaining = this.options.remainingTimeMs?.();
    if (remaining === undefined) return true;
    return remaining - delayMs - lastCallMs >= (this.options.safetyMarginMs ?? 500);
  }
}
