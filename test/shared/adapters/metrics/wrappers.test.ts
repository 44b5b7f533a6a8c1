import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../../../shared/adapters/cache/memory-cache.js';
import { meteredCache } from '../../../../shared/adapters/metrics/metered-cache.js';
import { meteredModel } from '../../../../shared/adapters/metrics/metered-model.js';
import { recordRequest } from '../../../../shared/adapters/metrics/request-metrics.js';
import { ProcessMetrics, RequestRecorder } from '../../../../shared/adapters/metrics/request-recorder.js';
import { ModelSlot } from '../../../../shared/model-slot.js';
import type { Model } from '../../../../shared/ports/model.js';
import { recordingMetrics } from '../../../support/recording-metrics.js';

function slowModel(fail = false): Model {
  return {
    info: {} as Model['info'],
    async classify() {
      await new Promise((resolve) => setTimeout(resolve, 15));
      if (fail) throw new Error('decode failed');
      return { scores: [{ label: 'a', confidence: 1 }], species: null, unsure: false };
    },
    async dispose() {},
  };
}

const onePixel = { data: new Uint8Array(3), width: 1, height: 1 };

describe('metrics wrappers', () => {
  it('counts cache hits and misses without changing what the cache answers', async () => {
    const metrics = recordingMetrics();
    const cache = meteredCache(createMemoryCache(), metrics);
    expect(await cache.get('k')).toBeNull();
    await cache.set('k', 'v', 60);
    expect(await cache.get('k')).toBe('v');
    expect(metrics.events.map((e) => e.name)).toEqual(['CacheMiss', 'CacheHit']);
  });

  it('times every inference, failed ones too', async () => {
    const metrics = recordingMetrics();
    await meteredModel(slowModel(), metrics).classify(onePixel, 1);
    await expect(meteredModel(slowModel(true), metrics).classify(onePixel, 1)).rejects.toThrow();
    const timings = metrics.named('InferenceMs');
    expect(timings).toHaveLength(2);
    for (const t of timings) expect(t.value).toBeGreaterThanOrEqual(14);
  });

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

describe('a model slot view', () => {
  it('hands out the model of its slot wrapped, one set after the view was made included', async () => {
    const slot = new ModelSlot();
    const metrics = recordingMetrics();
    const view = slot.view((model) => meteredModel(model, metrics));
    expect(view.ready).toBe(false);
    expect(() => view.get()).toThrow(/still loading/);
    const model = slowModel();
    slot.set(model);
    expect(view.ready).toBe(true);
    await view.get().classify(onePixel, 1);
    expect(metrics.named('InferenceMs')).toHaveLength(1);
    // The slot itself and peek() stay unwrapped.
    expect(slot.get()).toBe(model);
    expect(view.peek()).toBe(model);
  });
});
