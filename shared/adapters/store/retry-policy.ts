import { AppError } from '../../errors.js';

/*
 * Errors worth another attempt, by the SDK error's `name` (never its message text):
 * - DatabaseResumingException: Aurora Serverless v2 paused at zero capacity, resuming takes ~15 s. HTTP
 *   400, a client fault, so the SDK's own retry leaves it alone; this is the main reason for the policy.
 * - StatementTimeoutException: the 45 s limit cancelled (and rolled back) the statement, e.g. while
 *   the cluster was scaling.
 * - ServiceUnavailableError (503) and ThrottlingException (429): the SDK retries these itself up to its
 *   maxAttempts; what is left after that is retried here, within the budget.
 * - any other 5xx (DatabaseUnavailableException 504, InternalServerErrorException 500).
 * BadRequestException (SQL errors, constraint violations), ForbiddenException and everything else fail
 * at once: repeating them cannot succeed.
 */
const TRANSIENT_NAMES = new Set([
  'DatabaseResumingException',
  'StatementTimeoutException',
  'ServiceUnavailableError',
  'ThrottlingException',
]);

export function isTransientStoreError(error: unknown): boolean {
  // Our own AppErrors are final answers. One of them, ServiceUnavailableError, even shares its name
  // with the SDK's 503 error: without this check a nested RetryingStore would retry its own verdict.
  if (!(error instanceof Error) || error instanceof AppError) return false;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

export interface BackoffOptions {
  /** The first retry waits up to this. Default 100 ms. */
  baseDelayMs: number;
  /** No single wait exceeds this. Default 5 000 ms. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 100, maxDelayMs: 5_000 };

/**
 * "Full jitter" (AWS Architecture Blog, Exponential Backoff and Jitter): uniform in
 * [0, min(cap, base * 2^(attempt-1))). Spreads the retries of many cold Lambdas that all found the
 * cluster paused at once, instead of having them hit it in waves.
 */
export function fullJitterDelay(attempt: number, backoff: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
