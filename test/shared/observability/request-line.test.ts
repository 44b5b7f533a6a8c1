import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../shared/observability/logger.js';
import {
  emfRequestLines,
  logRequestLines,
  type RequestReport,
} from '../../../shared/observability/request-line.js';

const report = (over: Partial<RequestReport> = {}): RequestReport => ({
  requestId: 'r-1',
  operation: 'predict',
  method: 'POST',
  status: 200,
  durationMs: 3.14219,
  metrics: [
    { kind: 'timing', name: 'RequestMs', value: 3.14219, dimensions: { Operation: 'predict' } },
    { kind: 'count', name: 'CacheHit', value: 1 },
  ],
  ...over,
});

function capture(level = 'info'): {
  write: (line: string) => void;
  logger: ReturnType<typeof createLogger>;
  /** The same stream without redaction, as the server writes its request lines. */
  lines: ReturnType<typeof createLogger>;
  all: () => string[];
} {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).trim().split('\n'));
      done();
    },
  });
  return {
    write: (line) => lines.push(line),
    logger: createLogger(level, sink),
    lines: createLogger(level, sink, { redact: false }),
    all: () => lines,
  };
}

describe('the Beanstalk request line', () => {
  it('is one JSON object with the request fields and its metrics as fields', () => {
    const out = capture();
    logRequestLines(out.logger, out.lines)(report());
    expect(out.all()).toHaveLength(1);
    const line = JSON.parse(out.all()[0] as string);
    expect(line).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      service: 'pettracker',
      msg: 'request',
      requestId: 'r-1',
      operation: 'predict',
      method: 'POST',
      status: 200,
      durationMs: 3.14,
      RequestMs: 3.14,
      CacheHit: 1,
    });
  });

  it('follows LOG_LEVEL: at warn a 4xx is not written, a 503 is', () => {
    const out = capture('warn');
    const sink = logRequestLines(out.logger, out.lines);
    sink(report({ status: 404, code: 'NOT_FOUND' }));
    sink(report({ status: 503, code: 'NOT_READY' }));
    expect(out.all().map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'request refused', status: 503, code: 'NOT_READY' }),
    ]);
  });

  it('writes a 500 through the logger: the stack is there, a token-bearing field is redacted', () => {
    const out = capture();
    const error = Object.assign(new Error('boom'), { authorization: 'Bearer secret-token-value' });
    logRequestLines(out.logger, out.lines)(report({ status: 500, code: 'INTERNAL', error }));
    expect(out.all()).toHaveLength(1);
    const line = JSON.parse(out.all()[0] as string);
    expect(line).toMatchObject({ level: 'error', msg: 'request failed', requestId: 'r-1', RequestMs: 3.14 });
    expect(line.err.stack).toContain('boom');
    expect(out.all()[0]).not.toContain('secret-token-value');
  });
});

describe('the Lambda request line', () => {
  it('is the EMF document: the request fields as members, the metrics under _aws', () => {
    const out = capture();
    emfRequestLines({ logger: out.logger, write: out.write, now: () => 1_764_000_000_000 })(
      report({ properties: { awsRequestId: 'aws-1' } }),
    );
    expect(out.all()).toHaveLength(1);
    const doc = JSON.parse(out.all()[0] as string);
    expect(doc).toMatchObject({
      level: 'info',
      msg: 'request',
      requestId: 'r-1',
      awsRequestId: 'aws-1',
      operation: 'predict',
      status: 200,
      RequestMs: 3.14,
      CacheHit: 1,
      Service: 'pettracker',
      Operation: 'predict',
    });
    const names = doc._aws.CloudWatchMetrics.flatMap((d: { Metrics: { Name: string }[] }) =>
      d.Metrics.map((m) => m.Name),
    );
    expect(names.sort()).toEqual(['CacheHit', 'RequestMs']);
  });
});
