import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../../shared/adapters/cache/memory-cache.js';
import type { Core } from '../../../shared/core.js';
import { type Labels, ModelSlot } from '../../../shared/model-slot.js';
import { silentLogger } from '../../../shared/observability/logger.js';
import { type SavePredictionInput, savePrediction } from '../../../shared/use-cases/save-prediction.js';
import { memoryStore } from '../../support/memory-store.js';

/** A core whose model is known by its labels alone, as the Lambda save function knows it. */
function coreWithLabels(labels: Labels): Core {
  const model = new ModelSlot();
  model.setLabels(labels);
  return {
    store: memoryStore(),
    identity: undefined as never,
    cache: createMemoryCache(),
    model,
    logger: silentLogger(),
    limits: { maxImageBytes: 1, maxImagePixels: 1, defaultTopK: 3, maxTopK: 10 },
    cacheTtlSeconds: 60,
  };
}

const pets: Labels = { labels: ['Bengal', 'Beagle', 'Pug'], species: ['cat', 'dog', 'dog'] };
const alice = { userId: 'alice' };

function answerSave(topK: SavePredictionInput['topK']): SavePredictionInput {
  return {
    breed: 'Bengal',
    confidence: 0.8,
    imageSha256: 'a'.repeat(64),
    modelVersion: 'v1',
    source: 'model',
    topK,
  };
}

describe('savePrediction', () => {
  it("stores a /predict answer's items as they are, species included, and replays them under the same key", async () => {
    const core = coreWithLabels(pets);
    const items = [
      { breed: 'Bengal', confidence: 0.8, species: 'cat' as const },
      { breed: 'Beagle', confidence: 0.15, species: 'dog' as const },
      { breed: 'Pug', confidence: 0.05 },
    ];
    const first = await savePrediction(core, alice, answerSave(items), 'k1');
    expect(first.prediction.topK).toEqual([
      { label: 'Bengal', confidence: 0.8, species: 'cat' },
      { label: 'Beagle', confidence: 0.15, species: 'dog' },
      { label: 'Pug', confidence: 0.05 },
    ]);
    const again = await savePrediction(core, alice, answerSave(items), 'k1');
    expect([again.replayed, again.prediction.id]).toEqual([true, first.prediction.id]);
    // Without the species, the items are another request: the key was used for a different body.
    const stripped = items.map(({ breed, confidence }) => ({ breed, confidence }));
    await expect(savePrediction(core, alice, answerSave(stripped), 'k1')).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it.each([
    [
      'a cat breed called a dog',
      { breed: 'Bengal', confidence: 0.8, species: 'dog' as const },
      /"Bengal" a dog; .* a cat\./,
    ],
    [
      'a dog breed called no species',
      { breed: 'Pug', confidence: 0.1, species: null },
      /"Pug" no species; .* a dog\./,
    ],
  ])('refuses %s with 400 SPECIES_MISMATCH, naming both', async (_name, item, message) => {
    const refused = savePrediction(coreWithLabels(pets), alice, answerSave([item]), null);
    await expect(refused).rejects.toMatchObject({
      code: 'SPECIES_MISMATCH',
      status: 400,
      message: expect.stringMatching(message),
    });
  });

  it('takes a model without species at its word: null is its species for every label, a species is refused', async () => {
    const core = coreWithLabels({ labels: ['Bengal', 'Pug'], species: undefined });
    const saved = await savePrediction(
      core,
      alice,
      answerSave([{ breed: 'Bengal', confidence: 0.8, species: null }]),
      null,
    );
    expect(saved.prediction.topK).toEqual([{ label: 'Bengal', confidence: 0.8, species: null }]);
    await expect(
      savePrediction(core, alice, answerSave([{ breed: 'Bengal', confidence: 0.8, species: 'cat' }]), null),
    ).rejects.toMatchObject({ code: 'SPECIES_MISMATCH' });
  });

  it('still replays a save whose species a later model refutes, under its key', async () => {
    const store = memoryStore();
    const before = { ...coreWithLabels(pets), store };
    const items = [{ breed: 'Bengal', confidence: 0.8, species: 'cat' as const }];
    const first = await savePrediction(before, alice, answerSave(items), 'k2');
    const after = { ...coreWithLabels({ labels: ['Bengal'], species: ['dog'] }), store };
    const retried = await savePrediction(after, alice, answerSave(items), 'k2');
    expect([retried.replayed, retried.prediction.id]).toEqual([true, first.prediction.id]);
  });
});
