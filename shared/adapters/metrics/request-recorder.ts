import { AsyncLocalStorage } from 'node:async_hooks';
import type { Dimensions, MetricName, Metrics } from '../../ports/metrics.js';

/** One thing recorded during a request (or, outside any, while the process started). */
export interface MetricEvent {
  kind: 'count' | 'timing';
  name: MetricName;
  value: number;
  dimensions?: Dimensions | undefined;
}

/** What one request recorded; written once, on its line, then closed (a late record is dropped). */
export class RequestRecorder implements Metrics {
  #events: MetricEvent[] = [];
  #closed = false;

  count(name: MetricName, value = 1, dimensions?: Dimensions): void {
    this.#add('count', name, value, dimensions);
  }

  timing(name: MetricName, ms: number, dimensions?: Dimensions): void {
    this.#add('timing', name, ms, dimensions);
  }

  flush(): void {}

  /** Everything recorded, plus `earlier` (the process's records that wait for a line); closes it. */
  take(earlier: MetricEvent[] = []): MetricEvent[] {
    this.#closed = true;
    return earlier.length === 0 ? this.#events : [...earlier, ...this.#events];
  }

  /** Everything recorded so far, leaving it open and empty (for the process's waiting records). */
  drain(): MetricEvent[] {
    const events = this.#events;
    this.#events = [];
    return events;
  }

  #add(kind: MetricEvent['kind'], name: MetricName, value: number, dimensions?: Dimensions): void {
    // A NaN would invalidate a whole EMF document; CloudWatch would drop every metric on it.
    if (this.#closed || !Number.isFinite(value)) return;
    this.#events.push({ kind, name, value, dimensions });
  }
}

/**
 * The Metrics the core's wrappers (cache hits, inference time, store retries) record into, composed
 * once per process: a record lands on the request being served (an AsyncLocalStorage scope, so
 * concurrent requests on the server never mix), and one made outside any request (model load time,
 * during start-up) waits for the next request's line. So every metric is a field of a request line:
 * there are no separate metric lines.
 */
export class ScopedMetrics implements Metrics {
  readonly #scope = new AsyncLocalStorage<RequestRecorder>();
  readonly #waiting = new RequestRecorder();
  #cold = true;

  count(name: MetricName, value?: number, dimensions?: Dimensions): void {
    (this.#scope.getStore() ?? this.#waiting).count(name, value, dimensions);
  }

  timing(name: MetricName, ms: number, dimensions?: Dimensions): void {
    (this.#scope.getStore() ?? this.#waiting).timing(name, ms, dimensions);
  }

  flush(): void {}

  /** Runs one request's work with `recorder` as where its records go. */
  run<T>(recorder: RequestRecorder, work: () => Promise<T>): Promise<T> {
    if (this.#cold) {
      // ColdStart = 1 on the first request a process or Lambda container serves.
      this.#cold = false;
      recorder.count('ColdStart');
    }
    return this.#scope.run(recorder, work);
  }

  /** The records made outside any request since the last call, for the line being written. */
  takeWaiting(): MetricEvent[] {
    return this.#waiting.drain();
  }
}
