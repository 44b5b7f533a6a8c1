import type { BreedScore, Species } from '../../ports/model.js';
import type { OutputKind } from './model-metadata.js';

/** Float32 rounding over 1000 classes stays far below this; logits essentially never sum to 1 by chance. */
const SUM_TOLERANCE = 1e-3;

export function isDistribution(values: ArrayLike<number>): boolean {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? Number.NaN;
    if (!(value >= 0 && value <= 1)) return false;
    sum += value;
  }
  return Math.abs(sum - 1) <= SUM_TOLERANCE;
}

export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] ?? max);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp((logits[i] ?? max) - max); // shifted by the max so exp cannot overflow
    sum += out[i] ?? 0;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / sum;
  return out;
}

/** 'auto' decides per output: a model's last layer may or may not include its softmax. */
export function toProbabilities(values: ArrayLike<number>, kind: OutputKind): ArrayLike<number> {
  if (kind === 'probabilities') return values;
  if (kind === 'auto' && isDistribution(values)) return values;
  return softmax(values);
}

/** The k best labels, best first; equal scores keep label order so answers are reproducible. */
export function topK(
  probabilities: ArrayLike<number>,
  labels: readonly string[],
  k: number,
  species?: readonly (Species | null)[],
): BreedScore[] {
  const count = Math.max(1, Math.min(Math.floor(k) || 1, labels.length)); // NaN or 0 asks for the best one
  const order = Array.from({ length: labels.length }, (_, i) => i);
  order.sort((a, b) => (probabilities[b] ?? 0) - (probabilities[a] ?? 0) || a - b);
  return order.slice(0, count).map((index) => {
    const score: BreedScore = {
      label: labels[index] ?? String(index),
      confidence: probabilities[index] ?? 0,
    };
    if (species !== undefined) score.species = species[index] ?? null;
    return score;
  });
}

/**
 * The species with the most probability summed over its labels: steadier than the top label's
 * species when two breeds of different species share the mass. Null when no label has a species, or
 * when labels of no species (an ImageNet model's sofas and cars) hold more than either: a model
 * without a pet gate must not call a sofa a dog because its few dog labels beat its few cat labels.
 */
export function likeliestSpecies(
  probabilities: ArrayLike<number>,
  species: readonly (Species | null)[] | undefined,
): Species | null {
  if (species === undefined) return null;
  let dog = 0;
  let cat = 0;
  let other = 0;
  for (let i = 0; i < species.length; i++) {
    const p = probabilities[i] ?? 0;
    if (species[i] === 'dog') dog += p;
    else if (species[i] === 'cat') cat += p;
    else other += p;
  }
  if (dog === 0 && cat === 0) return null;
  if (other > dog && other > cat) return null;
  return dog >= cat ? 'dog' : 'cat';
}
