import { describe, expect, it } from 'vitest';
import type { ModelDescription } from '../../../../shared/adapters/model/model-metadata.js';
import { parseModelMetadata } from '../../../../shared/adapters/model/model-metadata.js';
import { toClassification } from '../../../../shared/adapters/model/tfjs-model.js';
import type { Classification, Model } from '../../../../shared/ports/model.js';
import { predict } from '../../../../shared/use-cases/predict.js';
import { makeJpeg } from '../../../support/images.js';
import { coreWith } from '../../../support/model-core.js';

const description: ModelDescription = parseModelMetadata(
  {
    name: 'gated',
    labels: ['Sphynx', 'Beagle', 'Pug'],
    species: ['cat', 'dog', 'dog'],
    inputSize: [8, 8],
    normalization: { scale: 2, offset: -1 },
    output: 'probabilities',
    petGate: { output: 1, threshold: 0.3 },
    unsureBelow: 0.5,
  },
  'test',
);

describe('a model output read with its metadata', () => {
  it('sums species over breeds: two dog breeds outweigh the top cat', () => {
    const result = toClassification([[0.4, 0.35, 0.25], [0.9]], description, 3);
    expect(result.scores[0]?.label).toBe('Sphynx');
    expect(result.species).toBe('dog');
    expect(result.pet).toEqual({ score: 0.9, isPet: true });
    expect(result.unsure).toBe(true);
  });

  it('says unsure when the species contradicts the top breed, however confident the breed', () => {
    const sure = { ...description, unsureBelow: 0.3 };
    const result = toClassification([[0.45, 0.3, 0.25], [0.9]], sure, 1);
    expect(result.scores[0]).toEqual({ label: 'Sphynx', confidence: 0.45, species: 'cat' });
    expect(result.species).toBe('dog');
    expect(result.unsure).toBe(true);
    // The same confidence with the species agreeing is a sure answer.
    expect(toClassification([[0.25, 0.45, 0.3], [0.9]], sure, 1)).toMatchObject({
      species: 'dog',
      unsure: false,
    });
  });

  it('is not a pet under the gate threshold, and sure above unsureBelow', () => {
    const result = toClassification([[0.05, 0.9, 0.05], [0.29]], description, 1);
    expect(result.pet).toEqual({ score: 0.29, isPet: false });
    expect(result.unsure).toBe(false);
  });

  it('has no gate verdict for a model whose metadata has no petGate', () => {
    const ungated = { ...description, petGate: undefined, unsureBelow: undefined };
    expect(toClassification([[0.2, 0.3, 0.5]], ungated, 1)).toEqual({
      scores: [{ label: 'Pug', confidence: 0.5, species: 'dog' }],
      species: 'dog',
      unsure: false,
    });
  });
});

function fixedModel(result: Classification): Model {
  return {
    info: {
      name: 'fixed',
      version: `fixed-${JSON.stringify(result).length}`,
      format: 'layers',
      labels: ['Sphynx', 'Beagle'],
      inputSize: [8, 8],
      preprocessing: { resize: 'center-crop', scale: 2, offset: -1 },
      untrained: false,
      backend: 'none',
      source: 'test',
    },
    classify: async () => result,
    dispose: async () => {},
  };
}

const scores = [
  { label: 'Beagle', confidence: 0.7, species: 'dog' as const },
  { label: 'Sphynx', confidence: 0.3, species: 'cat' as const },
];

describe('the predict answer', () => {
  it('says not-a-pet with no predictions and no species when the gate refuses, also from the cache', async () => {
    const core = coreWith(
      fixedModel({ scores, species: 'dog', pet: { score: 0.01, isPet: false }, unsure: false }),
    );
    const input = { image: await makeJpeg(64, 64), contentType: 'image/jpeg', topK: 2 };
    for (const cached of [false, true]) {
      expect(await predict(core, input)).toMatchObject({
        predictions: [],
        verdict: 'not-a-pet',
        species: null,
        cached,
      });
    }
  });

  it('names the breed and species for a pet, and says unsure when the model is', async () => {
    const input = { image: await makeJpeg(64, 64), contentType: 'image/jpeg', topK: 1 };
    const sure = coreWith(
      fixedModel({ scores, species: 'dog', pet: { score: 0.9, isPet: true }, unsure: false }),
    );
    expect(await predict(sure, input)).toMatchObject({
      predictions: [{ breed: 'Beagle', confidence: 0.7, species: 'dog' }],
      verdict: 'breed',
      species: 'dog',
    });
    const unsure = coreWith(fixedModel({ scores, species: 'dog', unsure: true }));
    expect(await predict(unsure, input)).toMatchObject({ verdict: 'unsure', species: 'dog' });
  });
});
