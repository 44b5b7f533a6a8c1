import { AsyncLocalStorage } from 'node:async_hooks';
import type { HttpApiEvent, LambdaContext } from './api-gateway.js';

/** The invocation being served, for the adapters that need a per-invocation value. */
export interface Invocation {
  event: Partial<HttpApiEvent>;
  context: LambdaContext;
  requestId: string;
  /** performance.now() when the invocation arrived. */
  startedAt: number;
  /** Set once its request was logged and metered, so that it is never done twice (or never). */
  reported?: boolean;
}

const scope = new AsyncLocalStorage<Invocation>();

/**
 * The core was composed once per container, but a few of its inputs belong to one invocation: the
 * remaining time (the store's retry deadline), the secrets middy put on the context, the authorizer's
 * claims. They are read from here, through AsyncLocalStorage, so nothing in shared/ has to know.
 */
export function runInvocation<T>(invocation: Invocation, work: () => Promise<T>): Promise<T> {
  return scope.run(invocation, work);
}

export function currentInvocation(): Invocation | undefined {
  return scope.getStore();
}

/** For the RetryingStore: no invocation (start-up, tests) means no deadline. */
export function remainingTimeMs(): number {
  return currentInvocation()?.context.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
}
