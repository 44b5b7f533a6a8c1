import { readFile } from 'node:fs/promises';
import type { Species } from '../../shared/ports/model.js';
import type { EvalModel } from './eval-model.js';
import { answeredSpecies, petVerdict } from './not-pet.js';
import type { Observation } from './observation.js';
import type { LabelledImage } from './truth-labels.js';

/** A photo the model refused (corrupt, too many pixels, unsupported type), with the API's error code. */
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

/** The true species: the source's, else the species of the model label the breed maps to. */
function truthSpecies(image: LabelledImage, targets: readonly string[], model: EvalModel) {
  if (image.species !== undefined) return image.species;
  const index = targets[0] === undefined ? -1 : model.info.labels.indexOf(targets[0]);
  return model.labelSpecies?.[index] ?? undefined;
}

/**
 * Classifies the photos one after another (the model serialises inferences anyway, so the latency is
 * that of one request on an idle server). A photo the API would refuse is a failure, not a crash.
 */
export async function runEval(
  model: EvalModel,
  images: readonly LabelledImage[],
  targetsOf: (image: LabelledImage) => string[],
  onImage: (name: string) => void = () => {},
): Promise<EvalRun> {
  const observations: Observation[] = [];
  const failures: Failure[] = [];
  const speciesOf = new Map<string, Species | null | undefined>();
  model.info.labels.forEach((label, i) => {
    speciesOf.set(label, model.labelSpecies?.[i]);
  });
  for (const image of images) {
    const bytes = await readFile(image.file);
    const started = performance.now();
    try {
      const result = await model.predict(bytes, TOP_K);
      const latencyMs = performance.now() - started;
      const targets = targetsOf(image);
      const predictions = result.predictions.map((p) => ({ label: p.breed, confidence: p.confidence }));
      const top = result.predictions[0];
      observations.push({
        name: image.name,
        breed: image.breed,
        species: truthSpecies(image, targets, model),
        targets,
        predictions,
        predictedSpecies: answeredSpecies(
          result,
          top && { species: top.species ?? speciesOf.get(top.breed) },
        ),
        isPet: petVerdict(result),
        latencyMs: result.cached ? undefined : latencyMs,
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string') throw error;
      failures.push({ name: image.name, code, message: (error as Error).message });
    } finally {
      onImage(image.name);
    }
  }
  return { observations, failures };
}
