import { describe, expect, it } from 'vitest';
import {
  isDistribution,
  likeliestSpecies,
  softmax,
  toProbabilities,
  topK,
} from '../../../../shared/adapters/model/output-scores.js';

const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);

describe('softmax detection', () => {
  it('takes values in [0, 1] summing to 1 as a distribution', () => {
    expect(isDistribution(new Float32Array([0.7, 0.2, 0.1]))).toBe(true);
  });

  it('does not take logits, negative values or values not summing to 1 as one', () => {
    expect(isDistribution([2.5, -1, 0.3])).toBe(false);
    expect(isDistribution([0.5, 0.4, 0.05])).toBe(false);
    expect(isDistribution([1, 1, -1])).toBe(false);
    expect(isDistribution([Number.NaN, 1])).toBe(false);
  });

  it("applies softmax in 'auto' mode only to outputs that are not already probabilities", () => {
    const probabilities = new Float32Array([0.1, 0.6, 0.3]);
    expect(toProbabilities(probabilities, 'auto')).toBe(probabilities);
    const fromLogits = toProbabilities([1, 3, 2], 'auto');
    expect(sum(fromLogits)).toBeCloseTo(1, 10);
    expect(fromLogits[1]).toBeGreaterThan(fromLogits[2] as number);
  });

  it("trusts the metadata: 'logits' always applies softmax, 'probabilities' never", () => {
    const values = [0.1, 0.6, 0.3];
    expect(toProbabilities(values, 'probabilities')).toBe(values);
    expect(toProbabilities(values, 'logits')[1]).toBeCloseTo(
      Math.exp(0.6) / (Math.exp(0.1) + Math.exp(0.6) + Math.exp(0.3)),
    );
  });

  it('stays finite for large logits', () => {
    const result = softmax([1000, 999, -1000]);
    expect(sum(result)).toBeCloseTo(1, 10);
    expect(result[0]).toBeCloseTo(1 / (1 + Math.exp(-1)));
  });
});

describe('topK', () => {
  const labels = ['Beagle', 'Persian', 'Pug', 'Bengal'];

  it('returns the k best labels, best first, with species where known', () => {
    const result = topK([0.1, 0.5, 0.15, 0.25], labels, 2, ['dog', 'cat', 'dog', null]);
    expect(result).toEqual([
      { label: 'Persian', confidence: 0.5, species: 'cat' },
      { label: 'Bengal', confidence: 0.25, species: null },
    ]);
  });

  it('leaves species out when the metadata has none, and clamps k to the label count', () => {
    const result = topK([0.1, 0.5, 0.15, 0.25], labels, 10);
    expect(result.map((s) => s.label)).toEqual(['Persian', 'Bengal', 'Pug', 'Beagle']);
    expect(result[0]).not.toHaveProperty('species');
    expect(topK([0.1, 0.5, 0.15, 0.25], labels, 0)).toHaveLength(1);
  });

  it('keeps label order among equal scores', () => {
    expect(topK([0.25, 0.25, 0.25, 0.25], labels, 4).map((s) => s.label)).toEqual(labels);
  });
});

describe('likeliestSpecies', () => {
  const species = ['dog', 'dog', 'cat', null, null] as const;

  it('sums the probability of each species, so two dog breeds outweigh one likelier cat breed', () => {
    expect(likeliestSpecies([0.3, 0.3, 0.4, 0, 0], species)).toBe('dog');
  });

  it('is null when labels of no species hold more than either species (a sofa on an ImageNet model)', () => {
    expect(likeliestSpecies([0.05, 0.05, 0.02, 0.5, 0.38], species)).toBeNull();
  });

  it('still names the species when other labels hold less than it', () => {
    expect(likeliestSpecies([0.4, 0.1, 0.1, 0.3, 0.1], species)).toBe('dog');
  });

  it('is null when the model maps no species', () => {
    expect(likeliestSpecies([0.5, 0.5], undefined)).toBeNull();
  });
});
