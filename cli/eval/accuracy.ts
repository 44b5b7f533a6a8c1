import type { Species } from '../../shared/ports/model.js';
import { isScored, type Observation, type Rate, rate } from './observation.js';

/** Share of photos whose true label is among the first k answers, over the photos the model can name. */
export function topKAccuracy(observations: readonly Observation[], k: number): Rate {
  const scored = observations.filter(isScored);
  const hits = scored.filter((o) => o.predictions.slice(0, k).some((p) => o.targets.includes(p.label)));
  return rate(hits.length, scored.length);
}

export const isTop1Correct = (o: Observation) => o.targets.includes(o.predictions[0]?.label ?? '\u0000');

export interface BreedAccuracy {
  breed: string;
  species: Species | undefined;
  /** The model labels that count as right; empty when the model has no label for this breed. */
  targets: readonly string[];
  n: number;
  correct: number;
  top5: number;
  accuracy: number | null;
}

/** Per true breed, in name order; breeds the model cannot name are listed with correct 0 and accuracy null. */
export function perBreedAccuracy(observations: readonly Observation[]): BreedAccuracy[] {
  const groups = new Map<string, Observation[]>();
  for (const o of observations) {
    if (o.breed === undefined) continue;
    groups.set(o.breed, [...(groups.get(o.breed) ?? []), o]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { sensitivity: 'base' }))
    .map(([breed, group]) => {
      const first = group[0] as Observation;
      const scored = group.filter(isScored);
      const correct = scored.filter(isTop1Correct).length;
      return {
        breed,
        species: first.species,
        targets: first.targets,
        n: group.length,
        correct,
        top5: topKAccuracy(scored, 5).correct,
        accuracy: scored.length === 0 ? null : correct / scored.length,
      };
    });
}

export interface ConfusedPair {
  truth: string;
  predicted: string;
  count: number;
  /** count over the photos of that true breed. */
  share: number;
}

/**
 * The most frequent wrong top-1 answers, as (true breed -> answered label), most frequent first, then
 * by name so that the order is stable. Only photos the model could have named count.
 */
export function confusedPairs(observations: readonly Observation[], limit = 10): ConfusedPair[] {
  const counts = new Map<string, { truth: string; predicted: string; count: number }>();
  const perBreed = new Map<string, number>();
  for (const o of observations.filter(isScored)) {
    const truth = o.breed as string;
    perBreed.set(truth, (perBreed.get(truth) ?? 0) + 1);
    if (isTop1Correct(o)) continue;
    const predicted = o.predictions[0]?.label as string;
    const key = JSON.stringify([truth, predicted]);
    const entry = counts.get(key) ?? { truth, predicted, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()]
    .sort(
      (a, b) => b.count - a.count || a.truth.localeCompare(b.truth) || a.predicted.localeCompare(b.predicted),
    )
    .slice(0, limit)
    .map((p) => ({ ...p, share: p.count / (perBreed.get(p.truth) ?? p.count) }));
}

/**
 * Right species over the photos whose true species is known and whose model says species at all.
 * A "not a pet" answer (species null) for a pet counts as wrong.
 */
export function speciesAccuracy(observations: readonly Observation[]): Rate & { unknown: number } {
  const known = observations.filter((o) => o.species !== undefined);
  const judged = known.filter((o) => o.predictedSpecies !== undefined);
  const right = judged.filter((o) => o.predictedSpecies === o.species).length;
  return { ...rate(right, judged.length), unknown: observations.length - judged.length };
}

/** Answers per true species: cat, dog, or neither (a non-pet label, or refused as "not a pet"). */
export type SpeciesMatrix = Record<Species, { cat: number; dog: number; neither: number }>;

export function speciesMatrix(observations: readonly Observation[]): SpeciesMatrix {
  const matrix: SpeciesMatrix = { cat: { cat: 0, dog: 0, neither: 0 }, dog: { cat: 0, dog: 0, neither: 0 } };
  for (const o of observations) {
    if (o.species === undefined || o.predictedSpecies === undefined) continue;
    matrix[o.species][o.predictedSpecies ?? 'neither']++;
  }
  return matrix;
}
