import type { Species } from '../../shared/ports/model.js';
import { BREED_GROUPS } from '../breed-groups.js';
import { isScored, type Observation, type Rate, rate } from './observation.js';

/** Share of photos whose true label is among the first k answers, over the photos the model can name. */
export function topKAccuracy(observations: readonly Observation[], k: number): Rate {
  const scored = observations.filter(isScored);
  const hits = scored.filter((o) => o.predictions.slice(0, k).some((p) => o.targets.includes(p.label)));
  return rate(hits.length, scored.length);
}

export const isTop1Correct = (o: Observation) => o.targets.includes(o.predictions[0]?.label ?? '\u0000');

/** A wrong top-1 answer and how often it was given: a label, or null for a pet refused as "not a pet". */
export interface WrongAnswer {
  answer: string | null;
  count: number;
}

export interface BreedAccuracy {
  breed: string;
  species: Species | undefined;
  /** The model labels that count as right; empty when the model has no label for this breed. */
  targets: readonly string[];
  /** The groups of cli/breed-groups.ts it belongs to. */
  groups: string[];
  /** Photos of the breed; top1, top3 and top5 count those the model could name (all, or none). */
  n: number;
  top1: Rate;
  top3: Rate;
  top5: Rate;
  /** Its wrong top-1 answers, most frequent first. */
  wrong: WrongAnswer[];
}

const byName = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a.localeCompare(b, 'en', { sensitivity: 'base' });

function wrongAnswers(observations: readonly Observation[]): WrongAnswer[] {
  const counts = new Map<string | null, number>();
  for (const o of observations.filter((o) => isScored(o) && !isTop1Correct(o))) {
    const answer = o.predictions[0]?.label ?? null;
    counts.set(answer, (counts.get(answer) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([answer, count]) => ({ answer, count }))
    .sort((a, b) => b.count - a.count || byName(a.answer, b.answer));
}

/** Per true breed, in name order; breeds the model cannot name have rates over 0 photos (null). */
export function perBreedAccuracy(
  observations: readonly Observation[],
  groupsOf: (breed: Pick<BreedAccuracy, 'breed' | 'species' | 'targets'>) => string[] = () => [],
): BreedAccuracy[] {
  const byBreed = new Map<string, Observation[]>();
  for (const o of observations) {
    if (o.breed === undefined) continue;
    const group = byBreed.get(o.breed) ?? [];
    group.push(o);
    byBreed.set(o.breed, group);
  }
  return [...byBreed.entries()]
    .sort(([a], [b]) => byName(a, b))
    .map(([breed, group]) => {
      const { species, targets } = group[0] as Observation;
      return {
        breed,
        species,
        targets,
        groups: groupsOf({ breed, species, targets }),
        n: group.length,
        top1: topKAccuracy(group, 1),
        top3: topKAccuracy(group, 3),
        top5: topKAccuracy(group, 5),
        wrong: wrongAnswers(group),
      };
    });
}

export interface ConfusedPair {
  truth: string;
  /** The answer given instead; null when the pet was refused as "not a pet". */
  predicted: string | null;
  count: number;
  /** count over the photos of that true breed. */
  share: number;
}

/**
 * The most frequent wrong top-1 answers, as (true breed -> answer), most frequent first, then by name
 * so that the order is stable. Only photos the model could have named count.
 */
export function confusedPairs(breeds: readonly BreedAccuracy[], limit = 10): ConfusedPair[] {
  return breeds
    .flatMap((b) =>
      b.wrong.map((w) => ({ truth: b.breed, predicted: w.answer, count: w.count, n: b.top1.n })),
    )
    .sort((a, b) => b.count - a.count || byName(a.truth, b.truth) || byName(a.predicted, b.predicted))
    .slice(0, limit)
    .map(({ n, ...pair }) => ({ ...pair, share: pair.count / n }));
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

export interface GroupAccuracy {
  id: string;
  title: string;
  breeds: string[];
  /** Photos of the group's breeds. */
  n: number;
  top1: Rate;
  top3: Rate;
  species: Rate;
}

/** The figures of each group of cli/breed-groups.ts that holds a breed here, in the groups' order. */
export function groupAccuracy(
  observations: readonly Observation[],
  breeds: readonly BreedAccuracy[],
): GroupAccuracy[] {
  return BREED_GROUPS.flatMap(({ id, title }) => {
    const names = breeds.filter((b) => b.groups.includes(id)).map((b) => b.breed);
    if (names.length === 0) return [];
    const photos = observations.filter((o) => o.breed !== undefined && names.includes(o.breed));
    const { unknown: _, ...species } = speciesAccuracy(photos);
    return [
      {
        id,
        title,
        breeds: names,
        n: photos.length,
        top1: topKAccuracy(photos, 1),
        top3: topKAccuracy(photos, 3),
        species,
      },
    ];
  });
}
