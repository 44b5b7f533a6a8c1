import { readFile } from 'node:fs/promises';
import type { PredictOutput } from '../../shared/use-cases/predict.js';
import { unusableReason } from '../image-files.js';
import type { EvalModel } from './eval-model.js';
import { breedName } from './label-match.js';
import { answeredSpecies, petVerdict } from './not-pet.js';
import type { Observation } from './observation.js';
import type { LabelledImage } from './truth-labels.js';

/**
 * A photo that could not be read (EACCES, a dangling link) or that the API refused (corrupt, empty,
 * too many pixels, not an image), with its code.
 */
export interface Failure {
  name: string;
  code: string;
  message: string;
}

export interface EvalRun {
  observations: Observation[];
  failures: Failure[];
}

const TOP_K = 5;

/** What an observation needs of the model: its labels and their species. */
type ModelLabels = {
  info: { labels: readonly string[] };
  labelSpecies: EvalModel['labelSpecies'];
  /** False when the model has no gate: its answers' verdict is then always a breed, not a gate's word. */
  hasGate?: boolean;
};

/** The true species: the source's, else the species of the model label the breed maps to. */
function truthSpecies(image: LabelledImage, targets: readonly string[], model: ModelLabels) {
  if (image.species !== undefined) return image.species;
  const index = targets[0] === undefined ? -1 : model.info.labels.indexOf(targets[0]);
  return model.labelSpecies?.[index] ?? undefined;
}

/**
 * One answer as an observation. Read defensively: a gated "not a pet" answer may have an empty
 * prediction list, and its species is then null whatever the labels say.
 */
export function observe(
  image: LabelledImage,
  targets: string[],
  model: ModelLabels,
  result: PredictOutput,
  latencyMs: number,
): Observation {
  const top = result.predictions[0];
  const labelSpecies = (label: string) => model.labelSpecies?.[model.info.labels.indexOf(label)];
  const isPet = model.hasGate === false ? undefined : petVerdict(result);
  const topSpecies = top && { species: top.species !== undefined ? top.species : labelSpecies(top.breed) };
  return {
    name: image.name,
    ...(typeof image.file === 'string' ? { file: image.file } : {}),
    breed: image.breed === undefined ? undefined : breedName(image.breed, targets),
    species: truthSpecies(image, targets, model),
    targets,
    predictions: result.predictions.map((p) => ({ label: p.breed, confidence: p.confidence })),
    ...(result.verdict === undefined ? {} : { verdict: result.verdict }),
    predictedSpecies: isPet === false ? null : answeredSpecies(result, topSpecies),
    isPet,
    latencyMs: result.cached ? undefined : latencyMs,
  };
}

export interface RunOptions {
  onImage?: (name: string) => void;
  onFailure?: (image: LabelledImage, failure: Failure) => void;
  /** Makes the bytes the model is given from the file's (a robustness variant); the file's own by default. */
  prepare?: (bytes: Buffer) => Promise<Buffer>;
}

/**
 * Classifies the photos one after another (the model serialises inferences anyway, so the latency is
 * that of one request on an idle server). A photo the API would refuse, or one that cannot be read
 * (EACCES, a dangling link), is a failure with its code, not a crash.
 */
export async function runEval(
  model: EvalModel,
  images: readonly LabelledImage[],
  targetsOf: (image: LabelledImage) => string[],
  options: RunOptions = {},
): Promise<EvalRun> {
  const observations: Observation[] = [];
  const failures: Failure[] = [];
  for (const image of images) {
    try {
      const file = await readFile(image.file);
      const bytes = options.prepare ? await options.prepare(file) : file;
      const started = performance.now();
      const result = await model.predict(bytes, TOP_K);
      const latencyMs = performance.now() - started;
      observations.push(observe(image, targetsOf(image), model, result, latencyMs));
    } catch (error) {
      const why = unusableReason(error);
      if (!why) throw error;
      const failure = { name: image.name, ...why };
      failures.push(failure);
      options.onFailure?.(image, failure);
    } finally {
      options.onImage?.(image.name);
    }
  }
  return { observations, failures };
}
