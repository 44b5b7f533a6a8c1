import type { Dimensions, Metrics } from '../../ports/metrics.js';
import { toEmfDocuments } from './emf-document.js';
import { MetricRecords } from './metric-records.js';

export interface EmfMetricsOptions {
  /** CloudWatch namespace. Default 'Pettracker'. */
  namespace?: string;
  /** On every metric. Default { Service: 'pettracker' }. */
  dimensions?: Dimensions;
  /**
   * Where a line goes. Default stdout: Lambda hands every stdout line to CloudWatch Logs, which
   * extracts the metrics from EMF lines without any API call (and without PutMetricData's latency).
   */
  write?: (line: string) => void;
  now?: () => number;
}

export const DEFAULT_NAMESPACE = 'Pettracker';
export const DEFAULT_DIMENSIONS: Dimensions = { Service: 'pettracker' };

/**
 * Metrics as CloudWatch Embedded Metric Format: records are buffered and `flush` writes them as one
 * JSON line (more only when two records disagree on a dimension's value, which the format cannot hold
 * on one line). Meant for Lambda, which serves one request at a time per container: flushing at the
 * end of each invocation gives exactly that invocation's metrics on its line. On a concurrent server
 * a flush would mix requests; use the log-line adapter there.
 */
export function emfMetrics(options: EmfMetricsOptions = {}): Metrics {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const records = new MetricRecords(options.dimensions ?? DEFAULT_DIMENSIONS);
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  return {
    count: (name, value = 1, dimensions) => records.add('count', name, value, dimensions),
    timing: (name, ms, dimensions) => records.add('timing', name, ms, dimensions),
    flush(properties) {
      const taken = records.take();
      if (taken.length === 0) return;
      for (const document of toEmfDocuments(taken, namespace, now(), properties)) {
        write(JSON.stringify(document));
      }
    },
  };
}
