import type { Species } from '../../shared/ports/model.js';

/** One photo's outcome: what the truth was, what the model said, how long it took. */
export interface Observation {
  /** Relative to the evaluated folder. */
  name: string;
  /** The true breed as the source writes it; undefined when the photo is unlabelled. */
  breed: string | undefined;
  species: Species | undefined;
  /** Model labels that count as right for this breed; empty when the model has no label for it. */
  targets: readonly string[];
  /** The best labels, best first (five, or fewer when the model has fewer labels). */
  predictions: readonly { label: string; confidence: number }[];
  /** Species of the answer: undefined when the model maps no label to a species, null when "not a pet". */
  predictedSpecies: Species | null | undefined;
  /** The not-a-pet gate's verdict; undefined when the model has no gate. */
  isPet: boolean | undefined;
  /** Decode, preprocess and inference; undefined for an answer served from the cache (a duplicate photo). */
  latencyMs: number | undefined;
}

/** A count and its share; `rate` is null when nothing was counted rather than a misleading 0. */
export interface Rate {
  n: number;
  correct: number;
  rate: number | null;
}

export function rate(correct: number, n: number): Rate {
  return { n, correct, rate: n === 0 ? null : correct / n };
}

/** Photos the model could have named: their breed is one of its labels. A refused pet (no answer) is wrong. */
export const isScored = (o: Observation) => o.targets.length > 0;
