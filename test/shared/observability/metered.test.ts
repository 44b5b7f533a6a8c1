import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../../shared/adapters/cache/memory-cache.js';
import { ModelSlot } from '../../../shared/model-slot.js';
import { meteredCache, meteredModel } from '../../../shared/observability/metered.js';
import type { Model } from '../../../shared/ports/model.js';
import { recordingMetrics } from '../../support/recording-metrics.js';

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
