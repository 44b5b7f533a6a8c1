import { describe, expect, it } from 'vitest';
import { ProcessMetrics, RequestRecorder, recordRequest } from '../../../shared/observability/recorder.js';
import { recordingMetrics } from '../../support/recording-metrics.js';

describe('request records', () => {
  it('records each request, and 4xx and 5xx answers by operation and code', () => {
    const metrics = recordingMetrics();
    recordRequest(metrics, { operation: 'predict', status: 200, durationMs: 12 });
    recordRequest(metrics, { operation: 'predict', status: 422, code: 'CORRUPT_IMAGE', durationMs: 3 });
    recordRequest(metrics, {
      operation: 'listPredictions',
      status: 503,
      code: 'STORE_UNAVAILABLE',
      durationMs: 9,
    });
    expect(metrics.named('RequestMs').map((e) => e.dimensions)).toEqual([
      { Operation: 'predict' },
      { Operation: 'predict' },
      { Operation: 'listPredictions' },
    ]);
    expect(metrics.named('ClientError')).toEqual([
      {
        kind: 'count',
        name: 'ClientError',
        value: 1,
        dimensions: { Operation: 'predict', Code: 'CORRUPT_IMAGE' },
      },
    ]);
    expect(metrics.named('ServerError')[0]?.dimensions).toEqual({
      Operation: 'listPredictions',
      Code: 'STORE_UNAVAILABLE',
    });
  });
});

describe('process metrics', () => {
  it('puts start-up records on the next request line, and ColdStart on the first request only', () => {
    const metrics = new ProcessMetrics();
    metrics.timing('ModelLoadMs', 800);
    const a = new RequestRecorder();
    const b = new RequestRecorder();
    metrics.begin(a);
    metrics.begin(b);
    a.count('CacheHit');
    b.count('CacheMiss');
    expect(a.take(metrics.takeWaiting()).map((e) => e.name)).toEqual([
      'ModelLoadMs',
      'ColdStart',
      'CacheHit',
    ]);
    expect(b.take(metrics.takeWaiting()).map((e) => e.name)).toEqual(['CacheMiss']);
    // A record after the line was written is dropped, not moved to another request.
    b.count('CacheHit');
    expect(b.take()).toHaveLength(1);
  });
});

describe('a request recorder', () => {
  it('drops values CloudWatch would reject, and records nothing once its line is written', () => {
    const recorder = new RequestRecorder();
    recorder.timing('InferenceMs', Number.NaN);
    recorder.count('CacheHit', Number.POSITIVE_INFINITY);
    recorder.count('CacheMiss');
    expect(recorder.take().map((e) => e.name)).toEqual(['CacheMiss']);
    recorder.count('CacheHit');
    expect(recorder.take()).toHaveLength(1);
  });
});
