import type { Logger } from '../ports/logger.js';
import type { Dimensions } from '../ports/metrics.js';
import { type EmfOptions, toEmfDocuments } from './emf.js';
import { type MetricEvent, round } from './recorder.js';

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

type LineFields = Record<string, string | number>;

/**
 * The same levels in both runtimes. Only an unexpected failure (500) earns level error and a stack
 * trace; a 503 is a known, retryable state (warn); a client's mistake, or a client that went away
 * (499), is info: it must not page anyone.
 */
function levelOf(status: number): { level: 'info' | 'warn' | 'error'; msg: string } {
  if (status === 500) return { level: 'error', msg: 'request failed' };
  if (status >= 500) return { level: 'warn', msg: 'request refused' };
  return { level: 'info', msg: 'request' };
}

/**
 * The line's fields, from known-safe values only: ids the pipeline checked, the operation's name,
 * numbers and the error's stable code. No header, body, token or message is ever among them, so the
 * line needs no redaction pass; an error object (500s only) still goes through the logger's.
 */
function requestFields(report: RequestReport): LineFields {
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
function metricFields(events: readonly MetricEvent[], into: LineFields): LineFields {
  for (const event of events) {
    const previous = into[event.name];
    const sum = (typeof previous === 'number' ? previous : 0) + event.value;
    into[event.name] = event.kind === 'timing' ? round(sum) : sum;
  }
  return into;
}

/**
 * Beanstalk: one JSON line per request, with the request's metrics as top-level fields, which Logs
 * Insights aggregates as they are: `{"level":"info","time":"…","service":"pettracker","requestId":"…",
 * "operation":"predict","method":"POST","status":200,"durationMs":3.1,"RequestMs":3.1,"CacheHit":1,
 * "msg":"request"}` (`filter msg = "request" | stats avg(RequestMs), sum(CacheHit) by operation`).
 * `lines` writes them: a logger without redaction (createLogger's `redact: false`) spares the pass per
 * request; a 500's line, which carries its error, always goes through `logger` and its redaction.
 */
export function logRequestLines(logger: Logger, lines: Logger = logger): RequestSink {
  return (report) => {
    const { level, msg } = levelOf(report.status);
    const fields = metricFields(report.metrics, requestFields(report));
    if (level === 'error' && report.error !== undefined) logger.error({ ...fields, err: report.error }, msg);
    else lines[level](fields, msg);
  };
}

export interface EmfLinesOptions extends Omit<EmfOptions, 'timestamp' | 'properties'> {
  /** Where a 500's error (with its stack) is logged, on a line of its own beside the request line. */
  logger: Pick<Logger, 'error'>;
  dimensions?: Dimensions;
  /** Default stdout: Lambda hands every stdout line to CloudWatch Logs, which extracts EMF metrics. */
  write?: (line: string) => void;
  now?: () => number;
}

/**
 * Lambda: the request line IS the invocation's EMF document. An EMF document is a JSON log line whose
 * `_aws` member tells CloudWatch which members are metrics; the request's fields ride on it as plain
 * members, so one line both logs the request (Logs Insights filters on requestId) and publishes its
 * metrics, without a second line to keep in step. Written whatever LOG_LEVEL says: it carries metrics.
 */
export function emfRequestLines(options: EmfLinesOptions): RequestSink {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  return (report) => {
    const { level, msg } = levelOf(report.status);
    const timestamp = now();
    const time = new Date(timestamp).toISOString();
    const properties = { level, time, service: 'pettracker', msg, ...requestFields(report) };
    for (const document of toEmfDocuments(report.metrics, { ...options, timestamp, properties })) {
      write(JSON.stringify(document));
    }
    if (level === 'error' && report.error !== undefined) {
      const { requestId, operation } = report;
      options.logger.error({ requestId, operation, ...report.properties, err: report.error }, msg);
    }
  };
}
