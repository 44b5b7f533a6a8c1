import { breedGrouper } from '../breed-groups.js';
import {
  type BreedAccuracy,
  type ConfusedPair,
  confusedPairs,
  type GroupAccuracy,
  groupAccuracy,
  isTop1Correct,
  perBreedAccuracy,
  type SpeciesMatrix,
  speciesAccuracy,
  speciesMatrix,
  topKAccuracy,
} from './accuracy.js';
import { type PhotoAnswer, toAnswer } from './answer.js';
import { type Calibration, calibration } from './calibration.js';
import type { EvalModel } from './eval-model.js';
import { type LatencySummary, summarizeLatency } from './latency.js';
import { accepted, gateMethod, type NotPetRates, notPetRates } from './not-pet.js';
import { isScored, type Rate } from './observation.js';
import type { Failure } from './run-eval.js';
import type { FolderRuns } from './run-folders.js';
import type { TruthSource } from './truth-labels.js';
import { type VariantReport, variantReport } from './variants.js';

export const CALIBRATION_BINS = 10;

/** eval.json. Shares are fractions in [0, 1] with their 95 % Wilson interval (low, high); null where nothing was counted. */
export interface EvalReport {
  schema: 'pettracker-eval/2';
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
    /** Photos that could not be read or decoded: listed under failures, not evaluated. */
    failed: number;
    unlabelled: number;
    /** Photos whose true breed is one of the model's labels: the denominator of top-1, top-3 and top-5. */
    scored: number;
    /** Labelled photos of breeds the model has no label for (they count for species only). */
    breedNotInModel: number;
  };
  top1: Rate;
  top3: Rate;
  top5: Rate;
  species: Rate & { unknown: number; matrix: SpeciesMatrix };
  /** The groups of cli/breed-groups.ts; a breed may be in several. */
  groups: GroupAccuracy[];
  perBreed: BreedAccuracy[];
  confusedPairs: ConfusedPair[];
  calibration: Calibration & { n: number; binCount: number };
  latencyMs: LatencySummary & { backend: string; samples: number[] };
  /** Pet photos refused as "not a pet" (by the gate, or a best label of no species when there is none). */
  refusedPets: PhotoAnswer[];
  /** Present when a folder of non-pets was given with --not-pets; `answers` holds every one of them. */
  notPet: (NotPetRates & { folder: string; acceptedNonPets: PhotoAnswer[]; answers: PhotoAnswer[] }) | null;
  /** Present with --variants: the pet photos again, degraded as phones send them. */
  variants: VariantReport[] | null;
  failures: Failure[];
  /** Every pet photo's answer. */
  predictions: PhotoAnswer[];
  warnings: string[];
}

export interface ReportInput extends FolderRuns {
  folder: string;
  model: EvalModel;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export async function buildReport(input: ReportInput): Promise<EvalReport> {
  const { observations, failures } = input.pets;
  const scored = observations.filter(isScored);
  const points = scored
    .filter((o) => o.predictions.length > 0)
    .map((o) => ({ confidence: o.predictions[0]?.confidence ?? 0, correct: isTop1Correct(o) }));
  const latencies = [...observations, ...(input.nonPets?.run.observations ?? [])]
    .map((o) => o.latencyMs)
    .filter((ms): ms is number => ms !== undefined);
  const nonPets = input.nonPets?.run.observations ?? [];
  const method = gateMethod([...observations, ...nonPets]);
  const perBreed = perBreedAccuracy(observations, await breedGrouper(input.model.trainPhotos));
  const info = input.model.info;
  return {
    schema: 'pettracker-eval/2',
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
    top3: topKAccuracy(observations, 3),
    top5: topKAccuracy(observations, 5),
    species: { ...speciesAccuracy(observations), matrix: speciesMatrix(observations) },
    groups: groupAccuracy(observations, perBreed),
    perBreed,
    confusedPairs: confusedPairs(perBreed),
    calibration: { ...calibration(points, CALIBRATION_BINS), n: points.length, binCount: CALIBRATION_BINS },
    latencyMs: { ...summarizeLatency(latencies), backend: info.backend, samples: latencies.map(round) },
    refusedPets: observations.filter((o) => !accepted(o, method)).map(toAnswer),
    notPet: input.nonPets
      ? {
          ...notPetRates(observations, nonPets),
          folder: input.nonPets.folder,
          acceptedNonPets: nonPets.filter((o) => accepted(o, method)).map(toAnswer),
          answers: nonPets.map(toAnswer),
        }
      : null,
    variants: input.variants
      ? input.variants.map(({ variant, run }) => variantReport(variant, run, observations, method))
      : null,
    failures: [...failures, ...(input.nonPets?.run.failures ?? [])],
    predictions: observations.map(toAnswer),
    warnings: input.warnings,
  };
}
