import type { Dimensions, MetricName, Metrics } from '../ports/metrics.js';

/** One thing recorded during a request (or, outside any, while the process started). */
export interface MetricEvent {
  kind: 'count' | 'timing';
  name: MetricName;
  value: number;
  dimensions?: Dimensions | undefined;
}

/** performance.now() differences carry noise digits; CloudWatch keeps no more than this anyway. */
export const round = (ms: number): number => Math.round(ms * 100) / 100;

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
    // Every record passes here. A NaN would invalidate a whole EMF document: CloudWatch would drop
    // every metric on it.
    if (this.#closed || !Number.isFinite(value)) return;
    this.#events.push({ kind, name, value, dimensions });
  }
}

/**
 * The process's Metrics, composed once: what is recorded outside any request (model load time, at
 * start-up) waits here for the next request's line, so every metric is a field of a request line and
 * there are no separate metric lines. A request's own records go to its RequestRecorder, through the
 * core's per-request view (requestCore): concurrent requests on the server never mix.
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

export interface RequestOutcome {
  operation: string;
  status: number;
  /** The error body's code, for a 4xx or 5xx. */
  code?: string | undefined;
  durationMs: number;
}

/** What every runtime records per request: its duration and, for an error answer, its class and code. */
export function recordRequest(metrics: Metrics, outcome: RequestOutcome): void {
  const { operation, status, code } = outcome;
  metrics.timing('RequestMs', outcome.durationMs, { Operation: operation });
  if (status < 400) return;
  // Unknown only if a runtime answers an error without the shared error body; still counted.
  const dimensions = { Operation: operation, Code: code ?? `HTTP_${status}` };
  metrics.count(status < 500 ? 'ClientError' : 'ServerError', 1, dimensions);
}
