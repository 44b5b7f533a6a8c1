import { likeliestSpecies } from '../../shared/adapters/model/output-scores.js';
import type { Species } from '../../shared/ports/model.js';

export interface Scored {
  label: number;
  probabilities: ArrayLike<number>;
}

export interface AccuracyReport {
  count: number;
  top1: number;
  top5: number;
  /** Share of photos whose likeliest species (summed over its breeds) is the true one. */
  species: number;
  /** Per label: photos, and how many had it as top-1. */
  perLabel: { total: number; correct: number }[];
}

function rankOf(probabilities: ArrayLike<number>, label: number): number {
  const own = probabilities[label] ?? 0;
  let rank = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] ?? 0;
    if (p > own || (p === own && i < label)) rank++;
  }
  return rank;
}

export function accuracy(items: readonly Scored[], species: readonly (Species | null)[]): AccuracyReport {
  const perLabel = species.map(() => ({ total: 0, correct: 0 }));
  let top1 = 0;
  let top5 = 0;
  let speciesRight = 0;
  for (const item of items) {
    const rank = rankOf(item.probabilities, item.label);
    const stats = perLabel[item.label];
    if (stats) {
      stats.total++;
      if (rank === 0) stats.correct++;
    }
    if (rank === 0) top1++;
    if (rank < 5) top5++;
    if (likeliestSpecies(item.probabilities, species) === (species[item.label] ?? null)) speciesRight++;
  }
  const n = Math.max(1, items.length);
  return { count: items.length, top1: top1 / n, top5: top5 / n, species: speciesRight / n, perLabel };
}

/**
 * What the backbone alone answers for the labels it knows: its probabilities restricted to the
 * labels' own classes (other labels get 0). The baseline a trained head must not fall below.
 */
export function baselineProbabilities(
  baseProbabilities: ArrayLike<number>,
  baseClass: readonly (number | undefined)[],
): Float64Array {
  return Float64Array.from(baseClass, (c) => (c === undefined ? 0 : (baseProbabilities[c] ?? 0)));
}
