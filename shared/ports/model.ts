export type Species = 'dog' | 'cat';

export interface BreedScore {
  label: string;
  confidence: number;
  /** Present where the model's metadata maps the label to a species. */
  species?: Species | null;
}

export type ResizeMode = 'center-crop' | 'stretch';

export interface Preprocessing {
  resize: ResizeMode;
  /** pixel' = pixel / 255 * scale + offset, per channel; [-1, 1] is scale 2, offset -1. */
  scale: number;
  offset: number;
}

export interface ModelInfo {
  name: string;
  version: string;
  format: 'layers' | 'graph';
  labels: readonly string[];
  /** Per label, in label order; undefined when the model's metadata maps no label to a species. */
  species?: readonly (Species | null)[] | undefined;
  /** [height, width] */
  inputSize: readonly [number, number];
  preprocessing: Preprocessing;
  /** True for the placeholder model: its answers are not predictions of anything. */
  untrained: boolean;
  /** The TF.js backend in use: tensorflow, wasm or cpu. */
  backend: string;
  /** Where it was loaded from (directory, s3:// or https://). */
  source: string;
  /** Worker threads classifying in parallel, each with its own copy; absent or 0: in the calling thread. */
  workers?: number;
}

/** What a model makes of one image. */
export interface Classification {
  /** The top labels, best first. */
  scores: BreedScore[];
  /** The likeliest species, summed over the labels of each (null when the labels have none). */
  species: Species | null;
  /**
   * Present when the model has a pet gate: its score that the photo shows a cat or dog, and whether
   * that reaches the model's threshold. Models without one (placeholder, ImageNet, Teachable Machine)
   * leave it out and every photo is taken as a pet.
   */
  pet?: { score: number; isPet: boolean };
  /**
   * True when the top label's confidence is below the model's "unsure" level, or when `species` is not
   * the top label's species (the other species' breeds together outweigh it).
   */
  unsure: boolean;
}

/**
 * An image decoded for a model (shared/image/decode-image.ts): upright 8-bit RGB pixels of the part
 * of the image the model's resize reads.
 */
export interface DecodedImage {
  /** Interleaved RGB, row-major, height * width * 3 values. */
  data: Uint8Array;
  width: number;
  height: number;
  /**
   * Present when only a window of the image was decoded: the whole image's size and where the window
   * sits in it. The resize is then computed on the whole image's grid and reads only the window,
   * which must hold every pixel it samples (see sourceWindow).
   */
  frame?: { left: number; top: number; width: number; height: number };
}

/** A loaded, warmed-up image classifier. */
export interface Model {
  readonly info: ModelInfo;
  /**
   * Resizes the decoded image to the model's input, runs the model and returns the top `topK` labels,
   * best first. Its cost does not depend on the image: decoding, whose cost does, is done before.
   * The model may take the pixels (a worker pool transfers them to its thread, leaving `image.data`
   * empty): the caller must not read them once it has called classify.
   */
  classify(image: DecodedImage, topK: number): Promise<Classification>;
  dispose(): Promise<void>;
}
