import { describe, expect, it } from 'vitest';
import {
  confusedPairs,
  groupAccuracy,
  perBreedAccuracy,
  speciesAccuracy,
  speciesMatrix,
  topKAccuracy,
} from '../../../cli/eval/accuracy.js';
import { calibration } from '../../../cli/eval/calibration.js';
import { percentile, summarizeLatency } from '../../../cli/eval/latency.js';
import type { Observation } from '../../../cli/eval/observation.js';
import { obs } from './observations.js';

describe('calibration', () => {
  it('computes ECE and MCE from 10 equal-width bins (hand-computed case)', () => {
    // bin 9: 0.95 right -> |1 - 0.95| = 0.05; bin 8: 0.85 right, 0.85 wrong -> |0.5 - 0.85| = 0.35;
    // bin 3: 0.35 wrong -> 0.35. ECE = 1/4 * 0.05 + 2/4 * 0.35 + 1/4 * 0.35 = 0.275.
    const result = calibration([
      { confidence: 0.95, correct: true },
      { confidence: 0.85, correct: false },
      { confidence: 0.85, correct: true },
      { confidence: 0.35, correct: false },
    ]);
    expect(result.ece).toBeCloseTo(0.275, 12);
    expect(result.mce).toBeCloseTo(0.35, 12);
    expect(result.bins).toHaveLength(10);
    expect(result.bins[8]).toMatchObject({ lower: 0.8, upper: 0.9, n: 2, accuracy: 0.5 });
    expect(result.bins[8]?.confidence).toBeCloseTo(0.85, 12);
    expect(result.bins[3]).toMatchObject({ n: 1, accuracy: 0 });
    expect(result.bins[0]).toMatchObject({ n: 0, accuracy: null, confidence: null });
  });

  it('puts confidence 1 in the last bin and 0 in the first; a perfectly calibrated set has ECE 0', () => {
    const result = calibration([
      { confidence: 1, correct: true },
      { confidence: 0, correct: false },
    ]);
    expect(result.bins[9]?.n).toBe(1);
    expect(result.bins[0]?.n).toBe(1);
    expect(result.ece).toBe(0);
  });

  it('answers null, not 0, when there is nothing to measure', () => {
    expect(calibration([])).toMatchObject({ ece: null, mce: null });
  });
});

describe('top-k accuracy', () => {
  const observations = [
    obs({ top: ['beagle', 'pug'] }), // top-1 hit
    obs({ breed: 'pug', targets: ['pug'], top: ['beagle', 'boxer', 'pug'] }), // top-5 hit only
    obs({ breed: 'havanese', targets: [], top: ['pug'] }), // no such label: not counted
    obs({ breed: 'boxer', targets: ['boxer'], top: [] }), // refused: wrong at any k
    obs({ breed: 'boxer', targets: ['boxer'], top: ['a', 'b', 'c', 'd', 'e', 'boxer'] }), // 6th: a miss
  ];

  it('counts only photos whose breed the model has, and a refused pet as wrong', () => {
    expect(topKAccuracy(observations, 1)).toMatchObject({ n: 4, correct: 1, rate: 0.25 });
    expect(topKAccuracy(observations, 3)).toMatchObject({ n: 4, correct: 2, rate: 0.5 });
    expect(topKAccuracy(observations, 5)).toMatchObject({ n: 4, correct: 2, rate: 0.5 });
    expect(topKAccuracy([observations[1] as Observation], 2).correct).toBe(0); // third: not in the top 2
  });

  it('accepts any of several target labels (a breed mapped to two ImageNet classes)', () => {
    const o = obs({
      breed: 'pit bull',
      targets: ['Staffordshire', 'American Staffordshire'],
      top: ['Staffordshire'],
    });
    expect(topKAccuracy([o], 1).correct).toBe(1);
  });

  it('gives per-breed top-1, top-3 and top-5 in name order, null rates for breeds the model lacks', () => {
    const breeds = perBreedAccuracy(observations);
    expect(
      breeds.map((b) => [b.breed, b.n, b.top1.correct, b.top3.correct, b.top5.correct, b.top1.rate]),
    ).toEqual([
      ['beagle', 1, 1, 1, 1, 1],
      ['boxer', 2, 0, 0, 0, 0],
      ['havanese', 1, 0, 0, 0, null],
      ['pug', 1, 0, 1, 1, 0],
    ]);
    // Each breed's share carries its interval: 0/2 is 0-65.8%.
    expect(breeds[1]?.top1.high).toBeCloseTo(0.6576, 4);
    expect(breeds[2]?.top1.low).toBeNull();
  });

  it("lists each breed's wrong answers, a refusal as null", () => {
    const boxer = perBreedAccuracy(observations).find((b) => b.breed === 'boxer');
    expect(boxer?.wrong).toEqual([
      { answer: 'a', count: 1 },
      { answer: null, count: 1 },
    ]);
  });
});

describe('confused pairs', () => {
  it('lists wrong top-1 answers by count, then name, with the share of the true breed', () => {
    const observations = [
      obs({ top: ['basset'] }),
      obs({ top: ['basset'] }),
      obs({ top: ['beagle'] }),
      obs({ breed: 'pug', targets: ['pug'], top: ['beagle'] }),
      obs({ breed: 'boxer', targets: ['boxer'], top: ['aardvark'] }),
      obs({ breed: 'havanese', targets: [], top: ['maltese'] }), // not a model label: not a confusion
    ];
    const breeds = perBreedAccuracy(observations);
    expect(confusedPairs(breeds)).toEqual([
      { truth: 'beagle', predicted: 'basset', count: 2, share: 2 / 3 },
      { truth: 'boxer', predicted: 'aardvark', count: 1, share: 1 },
      { truth: 'pug', predicted: 'beagle', count: 1, share: 1 },
    ]);
    expect(confusedPairs(breeds, 1)).toHaveLength(1);
  });

  it('names a pet refused as "not a pet" as a null answer, never "undefined"', () => {
    const pairs = confusedPairs(
      perBreedAccuracy([
        obs({ breed: 'shiba', targets: ['shiba'], top: [], isPet: false }),
        obs({ breed: 'shiba', targets: ['shiba'], top: [], isPet: false }),
        obs({ breed: 'shiba', targets: ['shiba'], top: ['shiba'] }),
      ]),
    );
    expect(pairs).toEqual([{ truth: 'shiba', predicted: null, count: 2, share: 2 / 3 }]);
    expect(JSON.stringify(pairs)).not.toContain('undefined');
  });
});

describe('group accuracy', () => {
  it('gives each group of cli/breed-groups.ts that holds a breed its top-1, top-3 and species', () => {
    const observations = [
      obs({ breed: 'Bengal', species: 'cat', targets: ['Bengal'], top: ['Bengal'], predictedSpecies: 'cat' }),
      obs({ breed: 'Bengal', species: 'cat', targets: ['Bengal'], top: ['Abyssinian', 'Bengal'] }),
      obs({ breed: 'Pug', targets: ['Pug'], top: ['Pug'] }),
    ];
    const groups: Record<string, string[]> = { Bengal: ['cats'], Pug: ['dogs', 'imagenet-mapped'] };
    const breeds = perBreedAccuracy(observations, (b) => groups[b.breed] ?? []);
    expect(breeds.map((b) => b.groups)).toEqual([['cats'], ['dogs', 'imagenet-mapped']]);
    const result = groupAccuracy(observations, breeds);
    expect(
      result.map((g) => [g.id, g.breeds, g.n, g.top1.correct, g.top3.correct, g.species.correct]),
    ).toEqual([
      ['cats', ['Bengal'], 2, 1, 2, 1], // the second Bengal was answered as a dog
      ['dogs', ['Pug'], 1, 1, 1, 1],
      ['imagenet-mapped', ['Pug'], 1, 1, 1, 1],
    ]);
  });
});

describe('species accuracy', () => {
  it('judges photos of known species whose model says species; "not a pet" for a pet is wrong', () => {
    const result = speciesAccuracy([
      obs({}),
      obs({ species: 'cat', predictedSpecies: 'dog' }),
      obs({ predictedSpecies: null }),
      obs({ species: undefined }),
      obs({ predictedSpecies: undefined }),
    ]);
    expect(result).toMatchObject({ n: 3, correct: 1, rate: 1 / 3, unknown: 2 });
  });

  it('tabulates answers per true species, refusals and non-pet labels as "neither"', () => {
    expect(
      speciesMatrix([
        obs({}),
        obs({}),
        obs({ species: 'cat', predictedSpecies: 'dog' }),
        obs({ species: 'cat', predictedSpecies: null }),
        obs({ species: undefined }),
        obs({ predictedSpecies: undefined }),
      ]),
    ).toEqual({ cat: { cat: 0, dog: 1, neither: 1 }, dog: { cat: 0, dog: 2, neither: 0 } });
  });
});

describe('latency', () => {
  it('interpolates percentiles between ranks', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0.95)).toBeCloseTo(3.85, 12);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('summarises unsorted samples', () => {
    expect(summarizeLatency([40, 10, 30, 20])).toEqual({
      n: 4,
      p50: 25,
      p95: 38.5,
      mean: 25,
      min: 10,
      max: 40,
    });
  });
});
