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
