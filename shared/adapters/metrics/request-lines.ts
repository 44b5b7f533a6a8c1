import {
  levelOf,
  metricFields,
  type RequestReport,
  type RequestSink,
  requestFields,
} from '../../http/request-log.js';
import type { Logger } from '../../ports/logger.js';
import type { Dimensions, Metrics } from '../../ports/metrics.js';
import { DEFAULT_DIMENSIONS, DEFAULT_NAMESPACE, toEmfDocuments } from './emf-document.js';
import { MetricRecords } from './metric-records.js';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const stdout = (line: string) => process.stdout.write(`${line}\n`);

export interface JsonLinesOptions {
  /** Where a 500's line goes, with its error through the logger's serializer and redaction. */
  logger: Pick<Logger, 'error'>;
  /** LOG_LEVEL: at warn or above only 5xx lines are written, at silent none. */
  level: string;
  /** Default stdout. */
  write?: (line: string) => void;
}

/**
 * Beanstalk: one JSON line per request, the shape of the logger's own lines, with the request's
 * metrics as top-level fields, which Logs Insights aggregates as they are:
 * `{"level":"info","time":"…","service":"pettracker","msg":"request","requestId":"…","operation":
 * "predict","method":"POST","status":200,"durationMs":3.1,"RequestMs":3.1,"CacheHit":1}`
 * (`filter msg = "request" | stats avg(RequestMs), sum(CacheHit) by operation`). Built by hand from
 * known-safe fields, so no redaction pass runs per request.
 */
export function jsonRequestLines(options: JsonLinesOptions): RequestSink {
  const threshold = LEVELS[options.level] ?? Number.POSITIVE_INFINITY;
  const write = options.write ?? stdout;
  return (report) => {
    const { level, msg } = levelOf(report.status);
    if ((LEVELS[level] as number) < threshold) return;
    const fields = metricFields(report.metrics, requestFields(report));
    if (level === 'error' && report.error !== undefined) {
      options.logger.error({ ...fields, err: report.error }, msg);
      return;
    }
    const head = `{"level":"${level}","time":"${new Date().toISOString()}","service":"pettracker","msg":"${msg}",`;
    write(head + JSON.stringify(fields).slice(1));
  };
}

export interface EmfLinesOptions {
  /** Where a 500's error (with its stack) is logged, on a line of its own beside the request line. */
  logger: Pick<Logger, 'error'>;
  namespace?: string;
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
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const dimensions = options.dimensions ?? DEFAULT_DIMENSIONS;
  const write = options.write ?? stdout;
  const now = options.now ?? Date.now;
  return (report: RequestReport) => {
    const { level, msg } = levelOf(report.status);
    const records = new MetricRecords(dimensions);
    for (const e of report.metrics) records.add(e.kind, e.name, e.value, e.dimensions);
    const timestamp = now();
    const time = new Date(timestamp).toISOString();
    const properties = { level, time, service: 'pettracker', msg, ...requestFields(report) };
    for (const document of toEmfDocuments(records.take(), namespace, timestamp, properties)) {
      write(JSON.stringify(document));
    }
    if (level === 'error' && report.error !== undefined) {
      const { requestId, operation } = report;
      options.logger.error({ requestId, operation, ...report.properties, err: report.error }, msg);
    }
  };
}

/**
 * Through the Logger port, for a logger that is not a pino stream (a test's capturing logger): the
 * same fields and levels, one call per request.
 */
export function loggerRequestLines(logger: Logger): RequestSink {
  return (report) => {
    const { level, msg } = levelOf(report.status);
    const fields = metricFields(report.metrics, requestFields(report));
    if (level === 'error' && report.error !== undefined) logger.error({ ...fields, err: report.error }, msg);
    else logger[level]({ ...fields }, msg);
  };
}

/** Also meters every request into another Metrics (a test's recorder, a second backend). */
export function alsoInto(metrics: Metrics, sink: RequestSink): RequestSink {
  return (report) => {
    for (const e of report.metrics) {
      if (e.kind === 'count') metrics.count(e.name, e.value, e.dimensions);
      else metrics.timing(e.name, e.value, e.dimensions);
    }
    sink(report);
  };
}
