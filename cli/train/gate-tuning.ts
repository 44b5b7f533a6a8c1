import path from 'node:path';
import { listImages } from '../image-files.js';
import type { Backbone, BaseClassifier } from './backbone.js';
import { embedAll, type Skipped } from './embed.js';
import type { EmbeddingCache } from './embedding-cache.js';
import { baseProbabilities, chooseThreshold, gateRates, IMAGENET_PET_CLASSES, petScore } from './gate.js';

/** A pet photo for the gate: its features and a name to report it by. */
export interface GatePet {
  name: string;
  features: Float32Array;
}

export interface TunedGate {
  threshold: number;
  /** For metadata.json: how the score is made and how the threshold was chosen. */
  about: string;
  /** Rates where the threshold was chosen, and on the photos held out from choosing it. */
  tuning: { pets: number; others: number; petsRefused: number; othersAccepted: number };
  heldOut: { pets: number; others: number; petsRefused: number; othersAccepted: number };
  /** The held-out photos it gets wrong, by name: pets refused, other things accepted. */
  failures: { petsRefused: string[]; othersAccepted: string[] };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** Most pets the gate may refuse where its threshold is chosen. */
export const MAX_PETS_REFUSED = 0.01;

/**
 * The pet gate's threshold on the backbone's own ImageNet mass on cats and dogs, chosen on the
 * training pets and every other photo (by name) of a folder of other things; the validation pets
 * and the rest of that folder are held out, to say how it does on photos it was not chosen on.
 */
export async function tuneGate(
  pets: { tuning: readonly GatePet[]; heldOut: readonly GatePet[] },
  classifier: BaseClassifier,
  backbone: Backbone,
  cache: EmbeddingCache,
  notPetsDir: string,
  onSkip?: (skipped: Skipped) => void,
): Promise<TunedGate> {
  const scoreOf = (features: Float32Array) =>
    petScore(baseProbabilities(classifier, features), IMAGENET_PET_CLASSES);
  // The photos directly in the folder, by name: even positions tune, odd ones are held out.
  const images = await listImages(notPetsDir, 0);
  const embedded = await embedAll(
    images.map((image) => image.path),
    backbone,
    cache,
    { views: ['center'], onSkip },
  );
  const others = images.flatMap((image, i) => {
    const features = embedded[i]?.views.get('center');
    return features ? [{ name: image.name, score: scoreOf(features), tuning: i % 2 === 0 }] : [];
  });
  const tuningOthers = others.filter((o) => o.tuning).map((o) => o.score);
  const heldOthers = others.filter((o) => !o.tuning);
  const tuningPets = pets.tuning.map((p) => scoreOf(p.features));
  const heldPets = pets.heldOut.map((p) => ({ name: p.name, score: scoreOf(p.features) }));
  const chosen = chooseThreshold(tuningPets, tuningOthers, MAX_PETS_REFUSED);
  const held = gateRates(
    heldPets.map((p) => p.score),
    heldOthers.map((o) => o.score),
    chosen.threshold,
  );
  return {
    threshold: chosen.threshold,
    about:
      "Sum of the backbone's ImageNet probabilities on its 118 dog (151-268) and 5 domestic cat (281-285) classes; " +
      `below the threshold the photo is not a pet. Threshold chosen on ${tuningPets.length} training pets and ` +
      `${tuningOthers.length} photos of other things (every other file of ${path.basename(notPetsDir)}): the one ` +
      `keeping the most other things out with at most ${MAX_PETS_REFUSED * 100} % of the pets refused. Held out: ` +
      `${heldPets.length} validation pets and the other ${heldOthers.length} photos of other things.`,
    tuning: {
      pets: tuningPets.length,
      others: tuningOthers.length,
      petsRefused: round(chosen.petsRefused),
      othersAccepted: round(chosen.othersAccepted),
    },
    heldOut: {
      pets: heldPets.length,
      others: heldOthers.length,
      petsRefused: round(held.petsRefused),
      othersAccepted: round(held.othersAccepted),
    },
    failures: {
      petsRefused: heldPets.filter((p) => p.score < chosen.threshold).map((p) => p.name),
      othersAccepted: heldOthers.filter((o) => o.score >= chosen.threshold).map((o) => o.name),
    },
  };
}
