import { describe, expect, it } from 'vitest';
import { toErrorResponse } from '../../../shared/errors.js';
import { DecodeGate } from '../../../shared/image/decode-gate.js';
import { ModelSlot } from '../../../shared/model-slot.js';
import type { DecodedImage, Model } from '../../../shared/ports/model.js';
import { predict } from '../../../shared/use-cases/predict.js';
import { makeJpeg } from '../../support/images.js';
import { coreWith } from '../../support/model-core.js';

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
    async classify(_image: DecodedImage, topK: number) {
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

  it('does not cache an answer it could not read back (a NaN confidence), and never throws for it', async () => {
    const model = countingModel('v1');
    const classify = model.classify;
    model.classify = async (image, topK) => {
      const result = await classify(image, topK);
      return { ...result, scores: result.scores.map((s) => ({ ...s, confidence: Number.NaN })) };
    };
    const core = coreWith(model);
    const image = await makeJpeg(36, 36);
    const first = await predict(core, { image, contentType: 'image/jpeg', topK: 2 });
    const again = await predict(core, { image, contentType: 'image/jpeg', topK: 2 });
    expect([first.cached, again.cached]).toEqual([false, false]);
    expect(model.calls).toBe(2);
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

describe('predict under memory pressure', () => {
  const MB = 1024 * 1024;

  it('answers 503 BUSY with Retry-After when the decode gate is full, and serves again once it drains', async () => {
    const model = countingModel('v1');
    const decodeGate = new DecodeGate({
      budgetBytes: 64 * MB,
      maxRunning: 1,
      maxWaiting: 1,
      retryAfterSeconds: 2,
    });
    const core = { ...coreWith(model), decodeGate };
    const images = await Promise.all([1, 2, 3].map((n) => makeJpeg(30 + n, 30)));
    const send = (image: Buffer) => predict(core, { image, contentType: 'image/jpeg', topK: 1 });
    // Other decodes in flight: one running, held until released, and one waiting.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const running = decodeGate.run({ bytes: MB, heavy: false }, () => held);
    const waiting = send(images[0] as Buffer);
    // The request reads its header first, in sharp's threadpool: wait until it queues at the gate.
    while (decodeGate.queued < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const refused = await send(images[1] as Buffer).catch((e: unknown) => e);
    expect(toErrorResponse(refused, 'req-1')).toMatchObject({
      status: 503,
      headers: { 'retry-after': '2' },
      body: { error: { code: 'BUSY' } },
    });
    expect(model.calls).toBe(0);
    release();
    await running;
    await expect(waiting).resolves.toMatchObject({ cached: false });
    await expect(send(images[2] as Buffer)).resolves.toMatchObject({ cached: false });
    expect(model.calls).toBe(2);
  });

  it('refuses with 422 IMAGE_TOO_MANY_PIXELS, without decoding, an image that alone exceeds the budget', async () => {
    const model = countingModel('v1');
    const core = {
      ...coreWith(model),
      decodeGate: new DecodeGate({ budgetBytes: 1 * MB, maxRunning: 4, maxWaiting: 4, retryAfterSeconds: 2 }),
    };
    await expect(
      predict(core, { image: await makeJpeg(64, 64), contentType: 'image/jpeg', topK: 1 }),
    ).rejects.toMatchObject({ status: 422, code: 'IMAGE_TOO_MANY_PIXELS' });
    expect(model.calls).toBe(0);
  });
});
