import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fallbackFunction } from '../../functions/runtime/http-function.js';
import { createLogger } from '../../shared/observability/logger.js';
import { METRICS } from '../../shared/ports/metrics.js';
import { httpApiEvent } from '../support/lambda/http-api-event.js';
import { lambdaContext } from '../support/lambda/lambda-target.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Line = Record<string, unknown>;

/** The fields a request line carries in both runtimes, and the metrics it publishes. */
const FIELDS = [
  'level',
  'time',
  'service',
  'msg',
  'requestId',
  'operation',
  'method',
  'status',
  'durationMs',
  'code',
];
const metricNamesOf = (line: Line): string[] =>
  Object.keys(line)
    .filter((key) => key in METRICS)
    .sort();

/**
 * Both runtimes answer outside the operation table through the one pipeline, so a 404, a 405 and a
 * preflight are logged and metered alike: the same fields with the same values (ids and times aside),
 * the same metric names. On Lambda the line is the invocation's EMF document; its `_aws` directive must
 * name exactly the metrics the Beanstalk line carries as fields.
 */
describe('404 and 405 are logged and metered alike on Beanstalk and Lambda', () => {
  let express: TestApp;
  let output = '';
  const emf: string[] = [];
  let lambda: ReturnType<typeof fallbackFunction>;
  let dataDir: string;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        output += chunk;
        done();
      },
    });
    express = await startTestApp({}, { logger: createLogger('info', sink) });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-parity-'));
    Object.assign(process.env, { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir });
    lambda = fallbackFunction({ writeLine: (line) => emf.push(line) });
    // Each runtime's first request carries ColdStart; take it out of the comparison.
    await fetch(`${express.url}/health`);
    await lambda(
      httpApiEvent({ method: 'GET', url: '/openapi.json', routeKey: '$default' }),
      lambdaContext('nf'),
    );
  });
  afterAll(async () => {
    await express?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function both(
    method: string,
    url: string,
  ): Promise<{ beanstalk: Line; aws: Line; status: number[] }> {
    output = '';
    emf.length = 0;
    const res = await fetch(`${express.url}${url}`, { method });
    await res.arrayBuffer();
    const event = httpApiEvent({ method, url, routeKey: '$default' });
    const answer = await lambda(event, lambdaContext('nf'));
    const beanstalk = output
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line)
      .filter((l) => l.msg === 'request');
    expect(beanstalk).toHaveLength(1);
    expect(emf).toHaveLength(1);
    return {
      beanstalk: beanstalk[0] as Line,
      aws: JSON.parse(emf[0] as string) as Line,
      status: [res.status, answer.statusCode],
    };
  }

  it.each([
    ['GET', '/no-such-route', 404, 'NOT_FOUND'],
    ['GET', '/predict', 405, 'METHOD_NOT_ALLOWED'],
    ['DELETE', '/predictions', 405, 'METHOD_NOT_ALLOWED'],
    ['GET', '/predictions/%E0%A4%A', 400, 'MALFORMED_URL'],
  ])('%s %s: %i %s', async (method, url, status, code) => {
    const { beanstalk, aws, status: statuses } = await both(method, url);
    expect(statuses).toEqual([status, status]);
    for (const line of [beanstalk, aws]) {
      expect(Object.keys(line)).toEqual(expect.arrayContaining(FIELDS));
      expect(line).toMatchObject({
        level: 'info',
        msg: 'request',
        operation: 'notFound',
        method,
        status,
        code,
      });
    }
    const published = (
      aws._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] }
    ).CloudWatchMetrics.flatMap((d) => d.Metrics.map((m) => m.Name));
    expect(metricNamesOf(beanstalk)).toEqual(['ClientError', 'RequestMs']);
    expect(metricNamesOf(aws)).toEqual(metricNamesOf(beanstalk));
    expect(published.sort()).toEqual(metricNamesOf(beanstalk));
    // Dimensions on Lambda, fields on Beanstalk: the same operation and code either way.
    expect(aws).toMatchObject({ Operation: 'notFound', Code: code });
  });

  it('a CORS preflight: 204 with the same headers, logged and metered alike', async () => {
    const { beanstalk, aws, status } = await both('OPTIONS', '/predictions');
    expect(status).toEqual([204, 204]);
    expect(beanstalk).toMatchObject({ operation: 'preflight', status: 204 });
    expect(aws).toMatchObject({ operation: 'preflight', status: 204 });
    expect(metricNamesOf(beanstalk)).toEqual(['RequestMs']);
    expect(metricNamesOf(aws)).toEqual(['RequestMs']);
  });
});
