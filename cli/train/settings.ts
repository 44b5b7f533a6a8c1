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

/** Fine-tuning of the backbone's last pointwise convolution with the head (cli/train/tail.ts). */
export interface TailSettings {
  /** Rank of the update to the pointwise kernel; 0 trains the norm's scale and shift alone. */
  rank: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** L2 on the update (down · up stays near zero unless the data pays for it). */
  decay: number;
  /** The head's learning rate as a share of `learningRate`; 0 holds the head as fitted on the frozen features. */
  headRate: number;
}

export const DEFAULT_TAIL: TailSettings = {
  rank: 16,
  epochs: 4,
  batchSize: 64,
  learningRate: 0.001,
  decay: 0,
  headRate: 1,
};
