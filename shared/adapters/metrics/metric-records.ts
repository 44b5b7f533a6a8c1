import { type Dimensions, METRICS, type MetricName, type MetricUnit } from '../../ports/metrics.js';

/** One metric under one set of dimension values, with what was recorded since the last flush. */
export interface MetricRecord {
  name: MetricName;
  unit: MetricUnit;
  dimensions: Dimensions;
  /** Counters hold one running sum; timings hold every value. */
  values: number[];
}

/**
 * The buffer behind the batching adapters: counters are summed, timings kept one by one, both keyed
 * by name and dimension values. Non-finite values are dropped: a NaN would make the whole EMF line
 * invalid and CloudWatch would silently discard every metric on it.
 */
export class MetricRecords {
  readonly #records = new Map<string, MetricRecord>();

  constructor(private readonly defaults: Dimensions) {}

  add(kind: 'count' | 'timing', name: MetricName, value: number, dimensions: Dimensions = {}): void {
    if (!Number.isFinite(value)) return;
    // performance.now() differences carry noise digits; CloudWatch keeps no more than this anyway.
    const rounded = kind === 'timing' ? Math.round(value * 100) / 100 : value;
    const dims = { ...this.defaults, ...dimensions };
    const key = `${name}\u0000${JSON.stringify(Object.entries(dims).sort(([a], [b]) => a.localeCompare(b)))}`;
    let record = this.#records.get(key);
    if (!record) {
      record = { name, unit: METRICS[name], dimensions: dims, values: [] };
      this.#records.set(key, record);
    }
    if (kind === 'count' && record.values.length > 0) record.values[0] = (record.values[0] ?? 0) + rounded;
    else record.values.push(rounded);
  }

  /** Everything recorded since the last call, oldest first; the buffer is empty afterwards. */
  take(): MetricRecord[] {
    const all = [...this.#records.values()];
    this.#records.clear();
    return all;
  }
}
