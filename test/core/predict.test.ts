import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../shared/adapters/cache/memory-cache.js';
import type { Core } from '../../shared/core.js';
import { silentLogger } from '../../shared/logger.js';
import { ModelSlot } from '../../shared/model-slot.js';
import type { Model } from '../../shared/ports/model.js';
import { predict } from '../../shared/use-cases/predict.js';
import { makeJpeg } from '../support/images.js';

/** A model that counts its calls: these tests are about caching, not inference. */
function countingModel(version: string): Model & { calls: number } {
  const model = {
    calls: 0,
    info: {
      name: 'counting',
      version,
      format: 'layers' as const,
      labels: ['a', 'b', 'c', 'd'],
      inputSize: [8, 8] as const,
      preprocessing: { resize: 'center-crop' as const, scale: 2, offset: -1 },
      untrained: true,
      backend: 'none',
      source: 'test',
    },
    async classify(_image: Buffer, topK: number) {
      model.calls += 1;
      await new Promise((r) => setTimeout(r, 20));
      const scores = ['a', 'b', 'c', 'd']
        .slice(0, topK)
        .map((label, i) => ({ label, confidence: 0.4 - i * 0.1 }));
      return { scores, species: null, unsure: false };
    },
    async dispose() {},
  };
  return model;
}

function coreWith(model: Model): Core {
  const slot = new ModelSlot();
  slot.set(model);
  return {
    store: undefined as never,
    identity: undefined as never,
    cache: createMemoryCache(),
    model: slot,
    logger: silentLogger(),
    limits: { maxImageBytes: 1_000_000, maxImagePixels: 1_000_000, defaultTopK: 3, maxTopK: 10 },
    cacheTtlSeconds: 60,
  };
}

describe('predict', () => {
  it('answers a repeated image from the cache, sliced to each topK', async () => {
    const model = countingModel('v1');
    const core = coreWith(model);
    const image = await makeJpeg(32, 32);
    const first = await predict(core, { image, contentType: 'image/jpeg', topK: 3 });
    const again = await predict(core, { image, contentType: 'image/jpeg', topK: 2 });
    expect(first.cached).toBe(false);
    expect(again.cached).toBe(true);
    expect(again.predictions.map((p) => p.breed)).toEqual(['a', 'b']);
    expect(model.calls).toBe(1);
  });

  it('does not serve an older model version from the cache', async () => {
    const image = await makeJpeg(32, 32);
    const core = coreWith(countingModel('v1'));
    await predict(core, { image, contentType: 'image/jpeg', topK: 3 });
    const v2 = countingModel('v2');
    core.model.set(v2);
    const answer = await predict(core, { image, contentType: 'image/jpeg', topK: 3 });
    expect(answer.cached).toBe(false);
    expect(answer.model.version).toBe('v2');
    expect(v2.calls).toBe(1);
  });

  it('runs one inference for identical images that arrive together', async () => {
    const model = countingModel('v1');
    const core = coreWith(model);
    const image = await makeJpeg(40, 40);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => predict(core, { image, contentType: 'image/jpeg', topK: 1 })),
    );
    expect(model.calls).toBe(1);
    expect(new Set(answers.map((a) => a.predictions[0]?.breed))).toEqual(new Set(['a']));
  });

  it('answers 503 NOT_READY before the model is loaded', async () => {
    const core = coreWith(countingModel('v1'));
    core.model = new ModelSlot();
    await expect(
      predict(core, { image: await makeJpeg(8, 8), contentType: 'image/jpeg', topK: 1 }),
    ).rejects.toMatchObject({
      status: 503,
      code: 'NOT_READY',
    });
  });
});
