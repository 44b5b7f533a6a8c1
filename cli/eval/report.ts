import {
  type BreedAccuracy,
  type ConfusedPair,
  confusedPairs,
  isTop1Correct,
  perBreedAccuracy,
  type SpeciesMatrix,
  speciesAccuracy,
  speciesMatrix,
  topKAccuracy,
} from './accuracy.js';
import { type Calibration, calibration } from './calibration.js';
import type { EvalModel } from './eval-model.js';
import { type LatencySummary, summarizeLatency } from './latency.js';
import { type NotPetRates, notPetRates } from './not-pet.js';
import { isScored, type Observation, type Rate } from './observation.js';
import type { EvalRun, Failure } from './run-eval.js';
import type { TruthSource } from './truth-labels.js';

export const CALIBRATION_BINS = 10;

/** eval.json. Shares are fractions in [0, 1]; null where nothing was counted. */
export interface EvalReport {
  schema: 'pettracker-eval/1';
  createdAt: string;
  folder: string;
  /** Where the true labels came from: the CSV used, and how many photos each rule labelled. */
  labels: { csv: string | null; from: Record<TruthSource, number> };
  model: {
    name: string;
    version: string;
    format: string;
    backend: string;
    source: string;
    labelCount: number;
    untrained: boolean;
  };
  images: {
    found: number;
    evaluated: number;
    failed: number;
    unlabelled: number;
    /** Photos whose true breed is one of the model's labels: the denominator of top-1 and top-5. */
    scored: number;
    /** Labelled photos of breeds the model has no label for (they count for species only). */
    breedNotInModel: number;
  };
  top1: Rate;
  top5: Rate;
  species: Rate & { unknown: number; matrix: SpeciesMatrix };
  perBreed: BreedAccuracy[];
  confusedPairs: ConfusedPair[];
  calibration: Calibration & { n: number; binCount: number };
  latencyMs: LatencySummary & { backend: string; samples: number[] };
  /** Present when a folder of non-pets was given with --not-pets. */
  notPet: (NotPetRates & { folder: string }) | null;
  failures: Failure[];
  predictions: {
    name: string;
    breed: string | null;
    species: string | null;
    targets: readonly string[];
    top1Correct: boolean | null;
    /** The answer's species (null: not a pet label, or refused); absent when the model has no species. */
    answeredSpecies?: string | null;
    /** The not-a-pet gate's verdict, when the model has one. */
    isPet?: boolean;
    top5: readonly { label: string; confidence: number }[];
    latencyMs: number | null;
  }[];
  warnings: string[];
}

export interface ReportInput {
  folder: string;
  csv: string | undefined;
  from: Record<TruthSource, number>;
  model: EvalModel;
  pets: EvalRun;
  nonPets?: { folder: string; run: EvalRun };
  warnings: string[];
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export function buildReport(input: ReportInput): EvalReport {
  const { observations, failures } = input.pets;
  const scored = observations.filter(isScored);
  const points = scored
    .filter((o) => o.predictions.length > 0)
    .map((o) => ({ confidence: o.predictions[0]?.confidence ?? 0, correct: isTop1Correct(o) }));
  const latencies = [...observations, ...(input.nonPets?.run.observations ?? [])]
    .map((o) => o.latencyMs)
    .filter((ms): ms is number => ms !== undefined);
  const info = input.model.info;
  return {
    schema: 'pettracker-eval/1',
    createdAt: new Date().toISOString(),
    folder: input.folder,
    labels: { csv: input.csv ?? null, from: input.from },
    model: {
      name: info.name,
      version: info.version,
      format: info.format,
      backend: info.backend,
      source: info.source,
      labelCount: info.labels.length,
      untrained: info.untrained,
    },
    images: {
      found: observations.length + failures.length,
      evaluated: observations.length,
      failed: failures.length,
      unlabelled: observations.filter((o) => o.breed === undefined).length,
      scored: scored.length,
      breedNotInModel: observations.filter((o) => o.breed !== undefined && !isScored(o)).length,
    },
    top1: topKAccuracy(observations, 1),
    top5: topKAccuracy(observations, 5),
    species: { ...speciesAccuracy(observations), matrix: speciesMatrix(observations) },
    perBreed: perBreedAccuracy(observations),
    confusedPairs: confusedPairs(observations),
    calibration: { ...calibration(points, CALIBRATION_BINS), n: points.length, binCount: CALIBRATION_BINS },
    latencyMs: { ...summarizeLatency(latencies), backend: info.backend, samples: latencies.map(round) },
    notPet: input.nonPets
      ? { ...notPetRates(observations, input.nonPets.run.observations), folder: input.nonPets.folder }
      : null,
    failures: [...failures, ...(input.nonPets?.run.failures ?? [])],
    predictions: observations.map((o) => perPhoto(o)),
    warnings: input.warnings,
  };
}

function perPhoto(o: Observation): EvalReport['predictions'][number] {
  return {
    name: o.name,
    breed: o.breed ?? null,
    species: o.species ?? null,
    targets: o.targets,
    top1Correct: isScored(o) ? isTop1Correct(o) : null,
    ...(o.predictedSpecies === undefined ? {} : { answeredSpecies: o.predictedSpecies }),
    ...(o.isPet === undefined ? {} : { isPet: o.isPet }),
    top5: o.predictions,
    latencyMs: o.latencyMs === undefined ? null : round(o.latencyMs),
  };
}
