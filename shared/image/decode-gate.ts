import { availableParallelism } from 'node:os';
import { ServiceUnavailableError } from '../errors.js';

const MB = 1024 * 1024;

export interface DecodeGateOptions {
  /** Bytes the decodes in flight may take together (their estimated costs, see decode-cost.ts). */
  budgetBytes: number;
  /** Decodes at once, whatever their cost (see DEFAULT_DECODE_GATE). */
  maxRunning: number;
  /** Decodes that may wait for room; one more is refused with 503 BUSY instead of queueing. */
  maxWaiting: number;
  retryAfterSeconds: number;
}

/**
 * 128 MB of decoding per process, on top of what it holds at rest (measured: ~280 MB for Node,
 * TF.js wasm and MobileNet; ~580 MB for the whole Express server with PGlite), however hostile the
 * images; with glibc's allocator slack, 16 worst shapes at once added at most 85 MB
 * (`npm run bench:memory`). A phone photo costs 10-20 MB (decode-cost.ts); the 40 MP shapes a
 * decoder must hold whole (progressive JPEG, interlaced PNG, lossless WebP) cost 180-420 MB and are
 * refused by checkDecodeCost. At most min(4, cores) at once: libuv's threadpool runs four sharp
 * pipelines at most, more than the cores only interleave, and every thread that decodes keeps a
 * glibc arena sized to its peak. Sixteen may wait: a burst of about 20 is served, later ones get
 * 503 BUSY. Retry-After 2 s: a decode takes 0.05-2.5 s here. Lambda runs one request per
 * container; there the gate only refuses what can never fit.
 */
export const DEFAULT_DECODE_GATE: DecodeGateOptions = {
  budgetBytes: 128 * MB,
  maxRunning: Math.min(4, availableParallelism()),
  maxWaiting: 16,
  retryAfterSeconds: 2,
};

/** One decode's claim on the gate: its estimated memory, and whether it is heavy (see DecodeCost). */
export interface DecodeClaim {
  bytes: number;
  heavy: boolean;
}

interface Waiter {
  weight: number;
  heavy: boolean;
  start: () => void;
}

/**
 * A weighted semaphore with a short queue: a decode starts when its estimated cost fits in what the
 * decodes in flight leave of the budget, waits (first come, first served) while the queue has room,
 * and is refused with 503 BUSY and Retry-After otherwise, so a burst of expensive images sheds load
 * instead of swapping or being killed for memory. A cost above the budget is clamped to it: such an
 * image runs alone (callers refuse those they never want to decode, see checkDecodeCost).
 *
 * Heavy decodes (a second or more of CPU each) run in a lane of their own: at most maxRunning - 1 at
 * once (1 on one core) and half the queue, so a client sending them can slow only its own kind, and
 * an ordinary photo finds a free slot and is not queued behind them.
 */
export class DecodeGate {
  private inUse = 0;
  private running = 0;
  private heavyRunning = 0;
  private readonly waiting: Waiter[] = [];
  private readonly heavySlots: number;
  private readonly heavyQueue: number;

  constructor(readonly options: DecodeGateOptions = DEFAULT_DECODE_GATE) {
    this.heavySlots = Math.max(1, options.maxRunning - 1);
    this.heavyQueue = Math.ceil(options.maxWaiting / 2);
  }

  /** Estimated bytes held by the decodes running now. */
  get bytesInUse(): number {
    return this.inUse;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(claim: DecodeClaim, task: () => Promise<T>): Promise<T> {
    const waiter = await this.acquire(claim);
    try {
      return await task();
    } finally {
      this.inUse -= waiter.weight;
      this.running -= 1;
      if (waiter.heavy) this.heavyRunning -= 1;
      this.wake();
    }
  }

  private acquire({ bytes, heavy }: DecodeClaim): Promise<Waiter> {
    const weight = Math.min(Math.max(bytes, 0), this.options.budgetBytes);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { weight, heavy, start: () => resolve(waiter) };
      if (this.fits(waiter) && this.waiting.every((w) => this.heldByLane(w))) {
        this.take(waiter);
        return;
      }
      const heavyWaiting = this.waiting.filter((w) => w.heavy).length;
      if (this.waiting.length >= this.options.maxWaiting || (heavy && heavyWaiting >= this.heavyQueue)) {
        reject(
          new ServiceUnavailableError(
            'BUSY',
            'The server is decoding as many images as its memory allows; retry shortly.',
            this.options.retryAfterSeconds,
          ),
        );
        return;
      }
      this.waiting.push(waiter);
    });
  }

  private heldByLane(waiter: Waiter): boolean {
    return waiter.heavy && this.heavyRunning >= this.heavySlots;
  }

  private take(waiter: Waiter): void {
    this.inUse += waiter.weight;
    this.running += 1;
    if (waiter.heavy) this.heavyRunning += 1;
    waiter.start();
  }

  private fits(waiter: Waiter): boolean {
    return (
      this.running < this.options.maxRunning &&
      this.inUse + waiter.weight <= this.options.budgetBytes &&
      (!waiter.heavy || this.heavyRunning < this.heavySlots)
    );
  }

  /**
   * Starts waiters in arrival order while they fit. The first that does not fit holds the rest back,
   * so a big decode is not overtaken for ever by small ones; a heavy one held only by its lane does not.
   */
  private wake(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const next = this.waiting[i] as Waiter;
      if (this.fits(next)) {
        this.waiting.splice(i, 1);
        this.take(next);
      } else if (this.heldByLane(next)) {
        i += 1;
      } else {
        return;
      }
    }
  }
}
