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
 * The process's Metrics, composed once: what is recorded outside any request (model load time, at
 * start-up) waits here for the next request's line, so every metric is a field of a request line and
 * there are no separate metric lines. A request's own records go to its RequestRecorder, through the
 * core's per-request view (meteredCore): concurrent requests on the server never mix.
 */
export class ProcessMetrics implements Metrics {
  readonly #waiting = new RequestRecorder();
  #cold = true;

  count(name: MetricName, value?: number, dimensions?: Dimensions): void {
    this.#waiting.count(name, value, dimensions);
  }

  timing(name: MetricName, ms: number, dimensions?: Dimensions): void {
    this.#waiting.timing(name, ms, dimensions);
  }

  flush(): void {}

  /** A request begins: ColdStart = 1 on the first one a process or Lambda container serves. */
  begin(recorder: RequestRecorder): void {
    if (!this.#cold) return;
    this.#cold = false;
    recorder.count('ColdStart');
  }

  /** The records made outside any request since the last call, for the line being written. */
  takeWaiting(): MetricEvent[] {
    return this.#waiting.drain();
  }
}
