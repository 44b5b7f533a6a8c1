import type { Logger } from '../../ports/logger.js';
import { METRICS, type Metrics } from '../../ports/metrics.js';

/**
 * Metrics as log lines, for the Beanstalk runtime: each event is written when it happens, as one JSON
 * line `{"msg":"metric","metric":"InferenceMs","value":41.2,"unit":"Milliseconds",...dimensions}`.
 * Nothing is buffered, so concurrent requests cannot mix, and `flush` has nothing to do. Logs
 * Insights aggregates them (`filter msg = "metric" | stats avg(value) by metric`), and a CloudWatch
 * Logs metric filter can turn any of them into a metric.
 */
export function logLineMetrics(logger: Pick<Logger, 'info'>): Metrics {
  const write = (metric: keyof typeof METRICS, value: number, dimensions: object = {}) => {
    if (!Number.isFinite(value)) return;
    const rounded = METRICS[metric] === 'Milliseconds' ? Math.round(value * 100) / 100 : value;
    logger.info({ ...dimensions, metric, value: rounded, unit: METRICS[metric] }, 'metric');
  };
  return {
    count: (name, value = 1, dimensions) => write(name, value, dimensions),
    timing: (name, ms, dimensions) => write(name, ms, dimensions),
    flush() {},
  };
}
