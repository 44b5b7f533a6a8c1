import path from 'node:path';
import { listImages } from '../image-files.js';
import type { Backbone, BaseClassifier } from './backbone.js';
import { type Embedded, embedAll, type Skipped } from './embed.js';
import type { EmbeddingCache } from './embedding-cache.js';
import { baseProbabilities, chooseThreshold, gateRates, IMAGENET_PET_CLASSES, petScore } from './gate.js';

export interface TunedGate {
  threshold: number;
  /** For metadata.json: how the score is made and how the threshold was chosen. */
  about: string;
  tuning: { pets: number; others: number; petsRefused: number; othersAccepted: number };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The pet gate's threshold on the backbone's own ImageNet mass on cats and dogs, from the training
 * pets and every other photo (by name) of a folder of other things; the rest of that folder is left
 * for reporting. Without such a folder, 0.1, which refuses about 1.5 % of Oxford-IIIT pets.
 */
export async function tuneGate(
  pets: readonly Float32Array[],
  classifier: BaseClassifier,
  backbone: Backbone,
  cache: EmbeddingCache,
  notPetsDir: string | undefined,
  onSkip?: (skipped: Skipped) => void,
): Promise<TunedGate> {
  const scoreOf = (features: Float32Array) =>
    petScore(baseProbabilities(classifier, features), IMAGENET_PET_CLASSES);
  const petScores = pets.map(scoreOf);
  let others: number[] = [];
  let note = 'no photos of other things given: threshold from the pets alone';
  if (notPetsDir) {
    // The photos directly in the folder, by name.
    const tuningHalf = (await listImages(notPetsDir, 0)).filter((_, i) => i % 2 === 0);
    const embedded = await embedAll(
      tuningHalf.map((image) => image.path),
      backbone,
      cache,
      { views: ['center'], onSkip },
    );
    others = embedded
      .filter((e): e is Embedded => e !== undefined)
      .map((e) => scoreOf(e.views.get('center') ?? new Float32Array(backbone.featureSize)));
    note = `${others.length} photos of other things (every other file of ${path.basename(notPetsDir)}, the rest kept for reporting)`;
  }
  const chosen = others.length > 0 ? chooseThreshold(petScores, others) : gateRates(petScores, [], 0.1);
  return {
    threshold: chosen.threshold,
    about:
      "Sum of the backbone's ImageNet probabilities on its 118 dog (151-268) and 5 domestic cat (281-285) classes; " +
      `below the threshold the photo is not a pet. Threshold chosen on ${petScores.length} training pets and ${note}, ` +
      'counting a refused pet twice as bad as an accepted other photo.',
    tuning: {
      pets: petScores.length,
      others: others.length,
      petsRefused: round(chosen.petsRefused),
      othersAccepted: round(chosen.othersAccepted),
    },
  };
}
