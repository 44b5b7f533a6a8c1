import type { Dimensions, MetricName, Metrics } from '../../shared/ports/metrics.js';

export interface RecordedMetric {
  kind: 'count' | 'timing';
  name: MetricName;
  value: number;
  dimensions: Dimensions;
}

/** A Metrics port that keeps every event, for assertions. */
export function recordingMetrics(): Metrics & {
  events: RecordedMetric[];
  named(name: MetricName): RecordedMetric[];
} {
  const events: RecordedMetric[] = [];
  return {
    events,
    named: (name) => events.filter((e) => e.name === name),
    count: (name, value = 1, dimensions = {}) => events.push({ kind: 'count', name, value, dimensions }),
    timing: (name, value, dimensions = {}) => events.push({ kind: 'timing', name, value, dimensions }),
    flush() {},
  };
}
