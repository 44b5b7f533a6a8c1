import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { toEmfDocuments } from '../../../shared/observability/emf.js';
import { RequestRecorder } from '../../../shared/observability/recorder.js';
import { EMF_SCHEMA, membersProblems } from '../../support/emf-schema.js';

const validEmf = new Ajv2020({ strict: true }).compile(EMF_SCHEMA);

function capture() {
  const lines: string[] = [];
  // What a Lambda request line does with its records: a request's recorder, rendered as EMF.
  const recorder = new RequestRecorder();
  const metrics = {
    count: recorder.count.bind(recorder),
    timing: recorder.timing.bind(recorder),
    flush(properties: Record<string, string | number> = {}) {
      const events = recorder.drain();
      for (const doc of toEmfDocuments(events, { timestamp: 1_764_164_164_000, properties })) {
        lines.push(JSON.stringify(doc));
      }
    },
  };
  const documents = () => lines.map((line) => JSON.parse(line));
  return { metrics, lines, documents };
}

function expectValidEmf(document: unknown): void {
  expect(validEmf(document), JSON.stringify(validEmf.errors)).toBe(true);
  expect(membersProblems(document as never)).toEqual([]);
}

describe('EMF documents', () => {
  it('writes one valid EMF line per flush with everything recorded since the last one', () => {
    const { metrics, lines, documents } = capture();
    metrics.count('ColdStart');
    metrics.timing('ModelLoadMs', 812.3456);
    metrics.count('CacheMiss');
    metrics.timing('InferenceMs', 41.2);
    metrics.timing('RequestMs', 55.5, { Operation: 'predict' });
    metrics.flush({ requestId: 'req-1' });
    expect(lines).toHaveLength(1);
    const [doc] = documents();
    expectValidEmf(doc);
    expect(doc._aws.Timestamp).toBe(1_764_164_164_000);
    expect(doc._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Pettracker',
        Dimensions: [['Service']],
        Metrics: [
          { Name: 'ColdStart', Unit: 'Count' },
          { Name: 'ModelLoadMs', Unit: 'Milliseconds' },
          { Name: 'CacheMiss', Unit: 'Count' },
          { Name: 'InferenceMs', Unit: 'Milliseconds' },
        ],
      },
      {
        Namespace: 'Pettracker',
        Dimensions: [['Operation', 'Service']],
        Metrics: [{ Name: 'RequestMs', Unit: 'Milliseconds' }],
      },
    ]);
    expect(doc).toMatchObject({
      Service: 'pettracker',
      Operation: 'predict',
      requestId: 'req-1',
      ColdStart: 1,
      ModelLoadMs: 812.35,
      InferenceMs: 41.2,
    });
  });

  it('sums counters, keeps each timing, and starts empty after a flush', () => {
    const { metrics, lines, documents } = capture();
    metrics.count('CacheHit');
    metrics.count('CacheHit', 2);
    metrics.timing('InferenceMs', 10);
    metrics.timing('InferenceMs', 20);
    metrics.flush();
    metrics.flush();
    expect(lines).toHaveLength(1);
    expect(documents()[0]).toMatchObject({ CacheHit: 3, InferenceMs: [10, 20] });
  });

  it('writes nothing when nothing was recorded, and drops values CloudWatch would reject', () => {
    const { metrics, lines } = capture();
    metrics.timing('InferenceMs', Number.NaN);
    metrics.count('CacheHit', Number.POSITIVE_INFINITY);
    metrics.flush();
    expect(lines).toEqual([]);
  });

  it('splits records whose dimension values conflict onto separate, valid lines', () => {
    const { metrics, documents } = capture();
    metrics.count('ClientError', 1, { Operation: 'predict', Code: 'CORRUPT_IMAGE' });
    metrics.count('ClientError', 1, { Operation: 'predict', Code: 'IMAGE_TOO_LARGE' });
    metrics.timing('RequestMs', 5, { Operation: 'predict' });
    metrics.flush();
    const docs = documents();
    expect(docs).toHaveLength(2);
    for (const doc of docs) expectValidEmf(doc);
    expect(docs.map((d) => d.Code).sort()).toEqual(['CORRUPT_IMAGE', 'IMAGE_TOO_LARGE']);
    expect(docs.filter((d) => d.RequestMs === 5)).toHaveLength(1);
  });

  it('keeps at most 100 values per metric on a line, as the format requires', () => {
    const { metrics, documents } = capture();
    for (let i = 0; i < 150; i++) metrics.timing('InferenceMs', i);
    metrics.flush();
    const docs = documents();
    expect(docs.map((d) => d.InferenceMs.length)).toEqual([100, 50]);
    for (const doc of docs) expectValidEmf(doc);
  });

  it('never lets a property replace the _aws block or a metric value', () => {
    const { metrics, documents } = capture();
    metrics.count('CacheHit');
    metrics.flush({ _aws: 'oops', CacheHit: 'x', requestId: 'r' });
    const [doc] = documents();
    expectValidEmf(doc);
    expect(doc.CacheHit).toBe(1);
  });
});
