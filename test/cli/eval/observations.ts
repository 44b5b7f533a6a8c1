import type { Observation } from '../../../cli/eval/observation.js';

/** An observation with defaults: a labelled dog photo, answered right, 10 ms. */
export function obs(fields: Partial<Observation> & { top?: string[] }): Observation {
  const { top, ...rest } = fields;
  return {
    name: 'photo.jpg',
    breed: 'beagle',
    species: 'dog',
    targets: ['beagle'],
    predictions: (top ?? ['beagle']).map((label, i) => ({ label, confidence: 0.9 / (i + 1) })),
    predictedSpecies: 'dog',
    isPet: undefined,
    latencyMs: 10,
    ...rest,
  };
}
