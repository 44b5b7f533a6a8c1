import type { MetricEvent } from '../adapters/metrics/request-recorder.js';

/** The facts of one answered request: the one thing a runtime's request line is built from. */
export interface RequestReport {
  requestId: string;
  /** The operation's id, or notFound / preflight / clientError / invocation / openApi / devToken. */
  operation: string;
  method: string;
  status: number;
  durationMs: number;
  /** The error body's code, for an error answer. */
  code?: string | undefined;
  /** The error behind an error answer: only a 500's reaches a log line (with its stack). */
  error?: unknown;
  /** Everything recorded while it ran: RequestMs, ClientError/ServerError, CacheHit, InferenceMs… */
  metrics: readonly MetricEvent[];
  /** The transport's own ids (awsRequestId on Lambda). */
  properties?: Readonly<Record<string, string>> | undefined;
}

/** Where a pipeline writes its one line per request (JSON on Beanstalk, EMF on Lambda). */
export type RequestSink = (report: RequestReport) => void;

/**
 * The same levels in both runtimes. Only an unexpected failure (500) earns level error and a stack
 * trace; a 503 is a known, retryable state (warn); a client's mistake, or a client that went away
 * (499), is info: it must not page anyone.
 */
export function levelOf(status: number): { level: 'info' | 'warn' | 'error'; msg: string } {
  if (status === 500) return { level: 'error', msg: 'request failed' };
  if (status >= 500) return { level: 'warn', msg: 'request refused' };
  return { level: 'info', msg: 'request' };
}

export type LineFields = Record<string, string | number>;

/**
 * The line's fields, from known-safe values only: ids the pipeline checked, the operation's name,
 * numbers and the error's stable code. No header, body, token or message is ever among them, so the
 * line needs no redaction pass; an error object (500s only) still goes through the logger's.
 */
export function requestFields(report: RequestReport): LineFields {
  const fields: LineFields = {
    requestId: report.requestId,
    operation: report.operation,
    method: report.method,
    status: report.status,
    durationMs: round(report.durationMs),
  };
  if (report.code !== undefined) fields.code = report.code;
  if (report.properties) Object.assign(fields, report.properties);
  return fields;
}

/** The request's metrics as fields of its line: counters summed, timings summed (one per request as a rule). */
export function metricFields(events: readonly MetricEvent[], into: LineFields): LineFields {
  for (const event of events) {
    const previous = into[event.name];
    const sum = (typeof previous === 'number' ? previous : 0) + event.value;
    into[event.name] = event.kind === 'timing' ? round(sum) : sum;
  }
  return into;
}

/** performance.now() differences carry noise digits; CloudWatch keeps no more than this anyway. */
export const round = (ms: number): number => Math.round(ms * 100) / 100;
