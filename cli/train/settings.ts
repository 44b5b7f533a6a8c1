import type { Scored } from './evaluate.js';

/** The head's training settings (recorded in the model's provenance). */
export interface HeadSettings {
  epochs: number;
  learningRate: number;
  pull: number;
  decay: number;
  classWeightPower: number;
}

/** Chosen on the pets-train validation split (see the model card); the dev photos played no part. */
export const DEFAULT_HEAD: HeadSettings = {
  epochs: 150,
  learningRate: 0.01,
  pull: 0.01,
  decay: 0.001,
  // Full inverse-frequency weighting: users photograph every breed, not mostly the 190-photo ones.
  classWeightPower: 1,
};

/**
 * The top-1 confidence below which the head is right less than half the time on validation photos:
 * answers under it are "unsure". Round values only, so that it reads well in metadata.json.
 */
export function unsureLevel(validation: readonly Scored[]): number {
  const tops = validation.map((item) => {
    let best = 0;
    for (let i = 1; i < item.probabilities.length; i++) {
      if ((item.probabilities[i] ?? 0) > (item.probabilities[best] ?? 0)) best = i;
    }
    return { confidence: item.probabilities[best] ?? 0, right: best === item.label };
  });
  let level = 0;
  for (let step = 5; step <= 95; step += 5) {
    const below = tops.filter((t) => t.confidence < step / 100);
    if (below.length === 0) continue;
    if (below.filter((t) => t.right).length / below.length < 0.5) level = step / 100;
  }
  return level;
}
