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

interface Waiter {
  cost: number;
  start: () => void;
}

/**
 * A weighted semaphore with a short queue: a decode starts when its estimated cost fits in what the
 * decodes in flight leave of the budget, waits (first come, first served) while the queue has room,
 * and is refused with 503 BUSY and Retry-After otherwise, so a burst of expensive images sheds load
 * instead of swapping or being killed for memory. A cost above the budget is clamped to it: such an
 * image runs alone (callers refuse those they never want to decode, see checkDecodeCost).
 */
export class DecodeGate {
  private inUse = 0;
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly options: DecodeGateOptions = DEFAULT_DECODE_GATE) {}

  /** Estimated bytes held by the decodes running now. */
  get bytesInUse(): number {
    return this.inUse;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(cost: number, task: () => Promise<T>): Promise<T> {
    const weight = Math.min(Math.max(cost, 0), this.options.budgetBytes);
    await this.acquire(weight);
    try {
      return await task();
    } finally {
      this.inUse -= weight;
      this.running -= 1;
      this.wake();
    }
  }

  private acquire(weight: number): Promise<void> {
    if (this.waiting.length === 0 && this.fits(weight)) {
      this.take(weight);
      return Promise.resolve();
    }
    if (this.waiting.length >= this.options.maxWaiting) {
      return Promise.reject(
        new ServiceUnavailableError(
          'BUSY',
          'The server is decoding as many images as its memory allows; retry shortly.',
          this.options.retryAfterSeconds,
        ),
      );
    }
    return new Promise((resolve) => {
      this.waiting.push({
        cost: weight,
        start: () => {
          this.take(weight);
          resolve();
        },
      });
    });
  }

  private fits(weight: number): boolean {
    return this.running < this.options.maxRunning && this.inUse + weight <= this.options.budgetBytes;
  }

  private take(weight: number): void {
    this.inUse += weight;
    this.running += 1;
  }

  /** Starts waiters in arrival order while they fit; the first that does not fit holds the rest back. */
  private wake(): void {
    for (let next = this.waiting[0]; next; next = this.waiting[0]) {
      if (!this.fits(next.cost)) return;
      this.waiting.shift();
      next.start();
    }
  }
}
