import { describe, expect, it } from 'vitest';
import { answeredSpecies, notPetRates, petVerdict } from '../../../cli/eval/not-pet.js';
import { observe } from '../../../cli/eval/run-eval.js';
import type { LabelledImage } from '../../../cli/eval/truth-labels.js';
import type { PredictOutput } from '../../../shared/use-cases/predict.js';
import { obs } from './observations.js';

describe('the not-a-pet verdict of a predict result', () => {
  it('reads isPet, notPet/notAPet or a top-level species, and nothing else', () => {
    expect(petVerdict({ predictions: [], isPet: false })).toBe(false);
    expect(petVerdict({ isPet: true, species: null })).toBe(true); // the explicit flag wins
    expect(petVerdict({ notPet: true })).toBe(false);
    expect(petVerdict({ notAPet: false })).toBe(true);
    expect(petVerdict({ species: null, predictions: [] })).toBe(false);
    expect(petVerdict({ species: 'cat' })).toBe(true);
    // Today's result: species only inside each prediction, so there is no gate.
    expect(petVerdict({ predictions: [{ breed: 'pug', confidence: 1, species: null }] })).toBeUndefined();
    expect(petVerdict({ isPet: 'no', species: 'fish' })).toBeUndefined();
  });

  it("takes the result's own species before its best label's", () => {
    expect(answeredSpecies({ species: null }, { species: 'dog' })).toBeNull();
    expect(answeredSpecies({}, { species: 'cat' })).toBe('cat');
    expect(answeredSpecies({}, undefined)).toBeUndefined();
  });
});

describe('not-a-pet rates', () => {
  const pets = [obs({}), obs({ isPet: false, top: [] }), obs({ isPet: true })];
  const nonPets = [obs({ breed: undefined, isPet: false, top: [] }), obs({ breed: undefined, isPet: true })];

  it('uses the gate when results carry one: non-pets given a breed, pets refused', () => {
    const rates = notPetRates(pets, nonPets);
    expect(rates).toMatchObject({
      method: 'gate',
      nonPets: { n: 2, wronglyAccepted: 1, rate: 0.5 },
      pets: { n: 3, wronglyRefused: 1, rate: 1 / 3 },
    });
    // With their 95% Wilson intervals: 1/2 is 9.5-90.5%.
    expect(rates.nonPets.low).toBeCloseTo(0.0945, 4);
    expect(rates.nonPets.high).toBeCloseTo(0.9055, 4);
  });

  it("falls back to the best label's species, then to 'every answer names a breed'", () => {
    const noGate = (o: ReturnType<typeof obs>) => ({ ...o, isPet: undefined });
    const bySpecies = notPetRates(
      [obs({}), obs({ predictedSpecies: null })].map(noGate),
      [
        obs({ predictedSpecies: null }),
        obs({ predictedSpecies: 'cat' }),
        obs({ predictedSpecies: null }),
      ].map(noGate),
    );
    expect(bySpecies).toMatchObject({
      method: 'top1-species',
      nonPets: { n: 3, wronglyAccepted: 1 },
      pets: { n: 2, wronglyRefused: 1 },
    });
    const none = notPetRates([obs({ predictedSpecies: undefined })], [obs({ predictedSpecies: undefined })]);
    expect(none).toMatchObject({
      method: 'none',
      nonPets: { wronglyAccepted: 1, rate: 1 },
      pets: { rate: 0 },
    });
    expect(notPetRates([], []).nonPets.rate).toBeNull();
  });
});

describe('an answer as an observation', () => {
  const model = {
    info: { labels: ['Persian', 'beagle', 'sofa'] },
    labelSpecies: ['cat', 'dog', null] as ('cat' | 'dog' | null)[],
  };
  const image: LabelledImage = {
    file: '/p/Persian_1.jpg',
    name: 'Persian_1.jpg',
    breed: 'Persian',
    species: undefined,
    from: 'name',
  };
  // Other services' shapes too, so the fields are spread over a loose record, not a PredictOutput.
  const answer = (fields: Partial<PredictOutput> & Record<string, unknown>): PredictOutput =>
    ({
      predictions: [],
      model: { name: 'm', version: '1', untrained: false },
      imageSha256: 'x',
      cached: false,
      ...fields,
    }) as PredictOutput;

  it('spells the true breed as the model spells its label, keeps the file for thumbnails and the verdict', () => {
    const oxford = {
      ...image,
      file: '/p/american_pit_bull_terrier_3.jpg',
      breed: 'american_pit_bull_terrier',
    };
    const o = observe(
      oxford,
      ['American Pit Bull Terrier'],
      { info: { labels: ['American Pit Bull Terrier'] }, labelSpecies: ['dog'] },
      answer({ predictions: [{ breed: 'American Pit Bull Terrier', confidence: 0.4 }], verdict: 'unsure' }),
      3,
    );
    expect(o).toMatchObject({
      breed: 'American Pit Bull Terrier',
      file: '/p/american_pit_bull_terrier_3.jpg',
      verdict: 'unsure',
    });
  });

  it("reads today's result: species from the labels' metadata, truth species from the target label", () => {
    const o = observe(
      image,
      ['Persian'],
      model,
      answer({ predictions: [{ breed: 'sofa', confidence: 0.7 }] }),
      12,
    );
    expect(o).toMatchObject({ species: 'cat', predictedSpecies: null, isPet: undefined, latencyMs: 12 });
    expect(o.predictions).toEqual([{ label: 'sofa', confidence: 0.7 }]);
  });

  it('reads a gated "not a pet" answer (isPet false, no predictions) as species null, and a cache hit as no latency', () => {
    const o = observe(image, ['Persian'], model, answer({ isPet: false, species: null, cached: true }), 1);
    expect(o).toMatchObject({ predictedSpecies: null, isPet: false, latencyMs: undefined, predictions: [] });
    const flagged = observe(
      image,
      ['Persian'],
      model,
      answer({ isPet: false, predictions: [{ breed: 'Persian', confidence: 0.2, species: 'cat' }] }),
      1,
    );
    expect(flagged.predictedSpecies).toBeNull();
  });
});
