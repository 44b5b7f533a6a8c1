import type { Species } from '../../shared/ports/model.js';
import type { Verdict } from '../../shared/use-cases/predict.js';
import { wilsonInterval } from './stats.js';

/** One photo's outcome: what the truth was, what the model said, how long it took. */
export interface Observation {
  /** Relative to the evaluated folder. */
  name: string;
  /** Absolute path, for the report's thumbnails; undefined when the name has no string form. */
  file?: string;
  /** The true breed, spelt as the model spells its labels (see breedName); undefined when unlabelled. */
  breed: string | undefined;
  species: Species | undefined;
  /** Model labels that count as right for this breed; empty when the model has no label for it. */
  targets: readonly string[];
  /** The best labels, best first (five, or fewer when the model has fewer labels). */
  predictions: readonly { label: string; confidence: number }[];
  /** The API's verdict, when the answer carries one. */
  verdict?: Verdict;
  /** Species of the answer: undefined when the model maps no label to a species, null when "not a pet". */
  predictedSpecies: Species | null | undefined;
  /** The not-a-pet gate's verdict; undefined when the model has no gate. */
  isPet: boolean | undefined;
  /** Decode, preprocess and inference; undefined for an answer served from the cache (a duplicate photo). */
  latencyMs: number | undefined;
}

/** A share with its 95 % Wilson interval; all null when nothing was counted rather than a misleading 0. */
export interface Share {
  rate: number | null;
  low: number | null;
  high: number | null;
}

export function share(count: number, n: number): Share {
  const interval = wilsonInterval(count, n);
  return { rate: n === 0 ? null : count / n, low: interval?.low ?? null, high: interval?.high ?? null };
}

/** A count of right answers and its share. */
export interface Rate extends Share {
  n: number;
  correct: number;
}

export function rate(correct: number, n: number): Rate {
  return { n, correct, ...share(correct, n) };
}

/** Photos the model could have named: their breed is one of its labels. A refused pet (no answer) is wrong. */
export const isScored = (o: Observation) => o.targets.length > 0;
