import { resizeBilinear } from '../../image/bilinear-resize.js';
import { readImageForModel } from '../../image/decode-image.js';
import type { Classification, DecodedImage, Model, Preprocessing } from '../../ports/model.js';

/** 50 MP: above any phone's normal output, and a decoded RGB frame of it is already ~150 MB. */
export const DEFAULT_MAX_PIXELS = 50_000_000;

export interface PreprocessOptions {
  /** [height, width] the model takes. */
  inputSize: readonly [number, number];
  preprocessing: Preprocessing;
  maxPixels?: number;
}

/** pixel / 255 * scale + offset, in place: [-1, 1] is scale 2, offset -1. */
export function normalise(
  pixels: Float32Array,
  preprocessing: Pick<Preprocessing, 'scale' | 'offset'>,
): Float32Array {
  const factor = preprocessing.scale / 255;
  for (let i = 0; i < pixels.length; i++) pixels[i] = (pixels[i] ?? 0) * factor + preprocessing.offset;
  return pixels;
}

/** The model's input for one decoded image: height * width * 3 floats, ready for tf.tensor4d. */
export function modelInput(
  image: DecodedImage,
  options: Pick<PreprocessOptions, 'inputSize' | 'preprocessing'>,
): Float32Array {
  return normalise(
    resizeBilinear(image, options.inputSize, options.preprocessing.resize),
    options.preprocessing,
  );
}

/** From the encoded bytes, for callers without a decode gate (training, benchmarks). */
export async function preprocessImage(image: Buffer, options: PreprocessOptions): Promise<Float32Array> {
  const target = { inputSize: options.inputSize, resize: options.preprocessing.resize };
  const decoded = await readImageForModel(image, target, {
    maxImagePixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
  });
  return modelInput(decoded, options);
}

/** Decodes for this model and classifies: for callers without a decode gate (CLI, benchmarks, tests). */
export async function classifyImage(
  model: Model,
  image: Buffer,
  topK: number,
  maxPixels = DEFAULT_MAX_PIXELS,
): Promise<Classification> {
  const target = { inputSize: model.info.inputSize, resize: model.info.preprocessing.resize };
  return model.classify(await readImageForModel(image, target, { maxImagePixels: maxPixels }), topK);
}
