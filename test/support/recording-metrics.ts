import type { RequestSink } from '../../shared/observability/request-line.js';
import type { Dimensions, MetricName, Metrics } from '../../shared/ports/metrics.js';

export interface RecordedMetric {
  kind: 'count' | 'timing';
  name: MetricName;
  value: number;
  dimensions: Dimensions;
}

type Recording = { events: RecordedMetric[]; named(name: MetricName): RecordedMetric[] };

/** A Metrics port that keeps every event, for assertions. */
export function recordingMetrics(): Metrics & Recording {
  const events: RecordedMetric[] = [];
  return {
    events,
    named: (name) => events.filter((e) => e.name === name),
    count: (name, value = 1, dimensions = {}) => events.push({ kind: 'count', name, value, dimensions }),
    timing: (name, value, dimensions = {}) => events.push({ kind: 'timing', name, value, dimensions }),
  };
}

/** A request-line sink that keeps every metric of every line, then hands the line on to `next`. */
export function recordingLines(next?: RequestSink): RequestSink & Recording {
  const events: RecordedMetric[] = [];
  const sink: RequestSink = (report) => {
    for (const { dimensions = {}, ...event } of report.metrics) events.push({ ...event, dimensions });
    next?.(report);
  };
  return Object.assign(sink, { events, named: (name: MetricName) => events.filter((e) => e.name === name) });
}
