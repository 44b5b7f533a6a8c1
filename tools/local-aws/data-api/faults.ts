import { type DataApiErrorType, isDataApiErrorType } from './errors.js';

/**
 * 'before': the call is answered with the error and never reaches the database (a paused cluster,
 * throttling). 'after': the statement runs and commits, then the caller gets the error, which is how a
 * response lost after commit looks to a client (the case idempotency keys exist for).
 */
export type FaultTiming = 'before' | 'after';

export interface Fault {
  type: DataApiErrorType;
  timing: FaultTiming;
}

/** The fault switch of one emulator: tests use it directly, the dev script through POST /_emulator/faults. */
export class Faults {
  private remaining = 0;
  private until = 0;
  private fault: Fault | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** The next `count` data-plane calls fail with `type`. */
  failNext(count: number, type: DataApiErrorType, timing: FaultTiming = 'before'): void {
    this.fault = { type, timing };
    this.remaining = count;
    this.until = 0;
  }

  /** Every data-plane call fails with `type` for the next `ms` milliseconds. */
  failFor(ms: number, type: DataApiErrorType, timing: FaultTiming = 'before'): void {
    this.fault = { type, timing };
    this.remaining = 0;
    this.until = this.now() + ms;
  }

  clear(): void {
    this.fault = undefined;
    this.remaining = 0;
    this.until = 0;
  }

  /** The fault for the call being handled now, if any; counts it against failNext. */
  take(): Fault | undefined {
    if (!this.fault) return undefined;
    if (this.remaining > 0) {
      this.remaining -= 1;
      return this.fault;
    }
    if (this.now() < this.until) return this.fault;
    this.clear();
    return undefined;
  }
}

/**
 * Applies a control request: {"type": "DatabaseResumingException", "count": 3} or
 * {"type": ..., "durationMs": 15000} (optionally "timing": "after"), or {"clear": true}.
 * Returns an error message for a malformed request.
 */
export function applyFaultRequest(faults: Faults, body: unknown): string | undefined {
  const request = (body ?? {}) as Record<string, unknown>;
  if (request.clear === true) {
    faults.clear();
    return undefined;
  }
  const { type, count, durationMs, timing = 'before' } = request;
  if (!isDataApiErrorType(type)) return `unknown fault type ${JSON.stringify(type)}`;
  if (timing !== 'before' && timing !== 'after') return 'timing must be "before" or "after"';
  if (typeof count === 'number' && Number.isInteger(count) && count > 0) {
    faults.failNext(count, type, timing);
  } else if (typeof durationMs === 'number' && durationMs > 0) {
    faults.failFor(durationMs, type, timing);
  } else {
    return 'give a positive integer "count" or a positive "durationMs"';
  }
  return undefined;
}
