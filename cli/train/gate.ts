import type { BaseClassifier } from './backbone.js';
import { headProbabilities } from './head.js';

/**
 * ImageNet-1k classes that are a cat or a dog: 151-268 the 118 dog breeds, 281-285 the domestic cats
 * (tabby, tiger cat, Persian, Siamese, Egyptian). Wolves, foxes and wild cats are not pets.
 */
export const IMAGENET_PET_CLASSES: readonly number[] = [
  ...Array.from({ length: 268 - 151 + 1 }, (_, i) => 151 + i),
  ...Array.from({ length: 285 - 281 + 1 }, (_, i) => 281 + i),
];

/** The backbone's own class probabilities for one feature vector (its classifier, then softmax). */
export function baseProbabilities(classifier: BaseClassifier, features: Float32Array): Float64Array {
  const { classes, kernel, bias } = classifier;
  return headProbabilities({ kernel, bias, classes, featureSize: features.length }, features);
}

/** The probability mass the backbone puts on cats and dogs: the pet score the gate thresholds. */
export function petScore(probabilities: ArrayLike<number>, petClasses: readonly number[]): number {
  let mass = 0;
  for (const c of petClasses) mass += probabilities[c] ?? 0;
  return mass;
}

export interface GateRates {
  threshold: number;
  /** Share of pet photos whose score is below the threshold (wrongly refused). */
  petsRefused: number;
  /** Share of other photos whose score reaches the threshold (wrongly accepted). */
  othersAccepted: number;
}

export function gateRates(pets: readonly number[], others: readonly number[], threshold: number): GateRates {
  const refused = pets.filter((s) => s < threshold).length;
  const accepted = others.filter((s) => s >= threshold).length;
  return {
    threshold,
    petsRefused: pets.length ? refused / pets.length : 0,
    othersAccepted: others.length ? accepted / others.length : 0,
  };
}

/**
 * The threshold that keeps the most other photos out while refusing at most `maxPetsRefused` of the
 * pets (refusing a user's real pet is the worse mistake); among equals, the lowest, which refuses the
 * fewest pets. Candidates are round values (0.01 to 0.99) so that the metadata reads well and tiny
 * score changes do not move it; when even 0.01 refuses too many pets, 0.01.
 */
export function chooseThreshold(
  pets: readonly number[],
  others: readonly number[],
  maxPetsRefused = 0.01,
): GateRates {
  let best = gateRates(pets, others, 0.01);
  for (let step = 2; step < 100; step++) {
    const rates = gateRates(pets, others, step / 100);
    if (rates.petsRefused > maxPetsRefused + 1e-12) break;
    if (rates.othersAccepted < best.othersAccepted - 1e-12) best = rates;
  }
  return best;
}
