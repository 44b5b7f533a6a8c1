import type { Verdict } from '../../shared/use-cases/predict.js';
import { isTop1Correct } from './accuracy.js';
import { isScored, type Observation } from './observation.js';

/** One photo's answer as eval.json keeps it. */
export interface PhotoAnswer {
  name: string;
  /** Absolute path, for thumbnails; null when the name has no string form. */
  file: string | null;
  breed: string | null;
  species: string | null;
  targets: readonly string[];
  /** The API's verdict; null when the answer carried none. */
  verdict: Verdict | null;
  top1Correct: boolean | null;
  /** The answer's species (null: not a pet label, or refused); absent when the model has no species. */
  answeredSpecies?: string | null;
  /** The not-a-pet gate's verdict, when the model has one. */
  isPet?: boolean;
  top5: readonly { label: string; confidence: number }[];
  latencyMs: number | null;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export function toAnswer(o: Observation): PhotoAnswer {
  return {
    name: o.name,
    file: o.file ?? null,
    breed: o.breed ?? null,
    species: o.species ?? null,
    targets: o.targets,
    verdict: o.verdict ?? null,
    top1Correct: isScored(o) ? isTop1Correct(o) : null,
    ...(o.predictedSpecies === undefined ? {} : { answeredSpecies: o.predictedSpecies }),
    ...(o.isPet === undefined ? {} : { isPet: o.isPet }),
    top5: o.predictions,
    latencyMs: o.latencyMs === undefined ? null : round(o.latencyMs),
  };
}
