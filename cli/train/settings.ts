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
  epochs: 400,
  learningRate: 0.01,
  pull: 0.001,
  decay: 0.001,
  // Full inverse-frequency weighting: users photograph every breed, not mostly the 190-photo ones.
  classWeightPower: 1,
};
