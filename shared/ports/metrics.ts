/**
 * The service's metrics, by name. One list, so both runtimes' request lines (EMF on Lambda, JSON fields on Beanstalk),
 * docs/observability.md and the dashboards agree on spelling. Units follow CloudWatch's names.
 */
export const METRICS = {
  /** 1 on the first request a process or Lambda container serves. */
  ColdStart: 'Count',
  /** Model source (download or cache), load and warm-up inference, once per process. */
  ModelLoadMs: 'Milliseconds',
  /** One classify() call: decode, preprocess, wait for the model, infer. Cache hits have none. */
  InferenceMs: 'Milliseconds',
  CacheHit: 'Count',
  CacheMiss: 'Count',
  /** A store call tried again after an outage (Aurora resuming, throttling, 5xx, a lost connection). */
  StoreRetry: 'Count',
  /** One request from the runtime's point of view, per Operation. */
  RequestMs: 'Milliseconds',
  /** A 4xx answer, per Operation and error Code. */
  ClientError: 'Count',
  /** A 5xx answer, per Operation and error Code. */
  ServerError: 'Count',
} as const;

export type MetricName = keyof typeof METRICS;
export type MetricUnit = (typeof METRICS)[MetricName];

/** Dimension name -> value. Values are strings: CloudWatch dimensions are. */
export type Dimensions = Readonly<Record<string, string>>;

/**
 * Where the core's wrappers and the runtimes record what happened. Recording never throws and never
 * does I/O: what a request recorded is written on its line (shared/observability/request-line.ts).
 */
export interface Metrics {
  /** Adds `value` (default 1) to a counter. */
  count(name: MetricName, value?: number, dimensions?: Dimensions): void;
  /** Records one duration in milliseconds. */
  timing(name: MetricName, ms: number, dimensions?: Dimensions): void;
}

/** For tools and tests that record nothing. */
export const noMetrics: Metrics = {
  count() {},
  timing() {},
};
