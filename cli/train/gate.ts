import type { BaseClassifier } from './backbone.js';

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
  const logits = Float64Array.from(bias);
  for (let i = 0; i < features.length; i++) {
    const f = features[i] ?? 0;
    if (f === 0) continue;
    const row = i * classes;
    for (let c = 0; c < classes; c++) logits[c] = (logits[c] ?? 0) + f * (kernel[row + c] ?? 0);
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const l of logits) max = Math.max(max, l);
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    logits[c] = Math.exp((logits[c] ?? 0) - max);
    sum += logits[c] ?? 0;
  }
  for (let c = 0; c < classes; c++) logits[c] = (logits[c] ?? 0) / sum;
  return logits;
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
 * The threshold with the fewest errors, weighing a refused pet `petCost` times a wrongly accepted other
 * photo (refusing a user's real pet is the worse mistake); on a tie, the lowest threshold. Candidates
 * are round values so that the metadata reads well and tiny score changes do not move it.
 */
export function chooseThreshold(pets: readonly number[], others: readonly number[], petCost = 2): GateRates {
  let best: GateRates | undefined;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let step = 1; step < 100; step++) {
    const rates = gateRates(pets, others, step / 100);
    const cost = petCost * rates.petsRefused + rates.othersAccepted;
    if (cost < bestCost - 1e-12) {
      best = rates;
      bestCost = cost;
    }
  }
  return best ?? gateRates(pets, others, 0.5);
}
