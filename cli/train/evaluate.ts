import { likeliestSpecies } from '../../shared/adapters/model/output-scores.js';
import type { Species } from '../../shared/ports/model.js';
import { BREED_GROUPS } from '../breed-groups.js';
import {
  type Answered,
  chooseUnsureLevel,
  expectedCalibrationError,
  fitTemperature,
  type LogitsItem,
  type UnsureChoice,
} from './confidence.js';
import { softmax } from './head.js';

export interface Scored {
  label: number;
  probabilities: ArrayLike<number>;
}

export interface AccuracyReport {
  count: number;
  top1: number;
  top3: number;
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
  let top3 = 0;
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
    if (rank < 3) top3++;
    if (rank < 5) top5++;
    if (likeliestSpecies(item.probabilities, species) === (species[item.label] ?? null)) speciesRight++;
  }
  const n = Math.max(1, items.length);
  return {
    count: items.length,
    top1: top1 / n,
    top3: top3 / n,
    top5: top5 / n,
    species: speciesRight / n,
    perLabel,
  };
}

/** Per group of cli/breed-groups.ts: its photos among the items and the share right at top-1. */
export function groupTop1(
  report: AccuracyReport,
  groupsOfLabel: readonly (readonly string[])[],
): Record<string, { photos: number; top1: number }> {
  const out: Record<string, { photos: number; top1: number }> = {};
  for (const { id } of BREED_GROUPS) {
    let photos = 0;
    let correct = 0;
    report.perLabel.forEach((stats, label) => {
      if (!groupsOfLabel[label]?.includes(id)) return;
      photos += stats.total;
      correct += stats.correct;
    });
    if (photos > 0) out[id] = { photos, top1: correct / photos };
  }
  return out;
}

/** Per label, the groups of cli/breed-groups.ts it is in, from its species, ImageNet class and photos. */
export function labelGroups(
  species: readonly (Species | null)[],
  baseClass: readonly (number | undefined)[],
  photos: readonly number[],
): string[][] {
  return species.map((s, k) =>
    BREED_GROUPS.filter((g) =>
      g.has({ species: s, imagenet: baseClass[k] !== undefined, trainPhotos: photos[k] ?? 0 }),
    ).map((g) => g.id),
  );
}

/** The top answer of each item, as the unsure level and the calibration read it. */
export function answers(items: readonly Scored[], species: readonly (Species | null)[]): Answered[] {
  return items.map((item) => {
    let best = 0;
    for (let i = 1; i < item.probabilities.length; i++)
      if ((item.probabilities[i] ?? 0) > (item.probabilities[best] ?? 0)) best = i;
    const summed = likeliestSpecies(item.probabilities, species);
    return {
      confidence: item.probabilities[best] ?? 0,
      right: best === item.label,
      speciesAgrees: summed === null || species[best] == null || species[best] === summed,
    };
  });
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

export interface Calibrated {
  temperature: number;
  /** The validation photos scored at that temperature. */
  report: AccuracyReport;
  unsure: UnsureChoice;
  eceBefore: number;
  eceAfter: number;
}

/**
 * Calibration on the validation photos' logits: the temperature (least negative log-likelihood), then
 * the unsure level whose `breed` answers are right at `target`, and the calibration error before/after.
 */
export function calibrate(
  logits: readonly LogitsItem[],
  species: readonly (Species | null)[],
  target: number,
): Calibrated {
  const temperature = fitTemperature(logits);
  const at = (t: number) => logits.map((l) => ({ label: l.label, probabilities: softmax(l.logits, t) }));
  const scored = at(temperature);
  const answered = answers(scored, species);
  return {
    temperature,
    report: accuracy(scored, species),
    unsure: chooseUnsureLevel(answered, target),
    eceBefore: expectedCalibrationError(answers(at(1), species)),
    eceAfter: expectedCalibrationError(answered),
  };
}
