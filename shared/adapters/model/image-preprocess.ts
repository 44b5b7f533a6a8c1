import sharp from 'sharp';
import { UnprocessableImageError } from '../../errors.js';
import type { Preprocessing, ResizeMode } from '../../ports/model.js';
import { type RgbImage, resizeBilinear } from './bilinear-resize.js';

/** 50 MP: above any phone's normal output, and a decoded RGB frame of it is already ~150 MB. */
export const DEFAULT_MAX_PIXELS = 50_000_000;

export interface PreprocessOptions {
  /** [height, width] the model takes. */
  inputSize: readonly [number, number];
  preprocessing: Preprocessing;
  maxPixels?: number;
}

function corrupt(cause: unknown): UnprocessableImageError {
  return new UnprocessableImageError('CORRUPT_IMAGE', 'The image could not be decoded.', cause);
}

/** Width and height as displayed (after the EXIF rotation), read from the header only. */
async function orientedSize(image: Buffer, maxPixels: number): Promise<{ width: number; height: number }> {
  let size: { width: number; height: number };
  try {
    size = (await sharp(image).metadata()).autoOrient;
  } catch (cause) {
    throw corrupt(cause);
  }
  // Refused before decoding, so a decompression bomb costs nothing.
  if (size.width * size.height > maxPixels) {
    throw new UnprocessableImageError(
      'IMAGE_TOO_MANY_PIXELS',
      `The image has ${size.width}x${size.height} pixels; the limit is ${maxPixels} pixels.`,
    );
  }
  return size;
}

/**
 * Decodes any format sharp reads and applies the EXIF orientation (phones store portraits sideways).
 * Alpha is flattened onto white and greyscale or CMYK becomes sRGB, so there are always 3 channels.
 * Bilinear resizing is only faithful down to half size, so an image larger than twice the model's
 * input is first shrunk (antialiased) to twice the input, keeping the aspect ratio for centre crops.
 */
export async function decodeForResize(
  image: Buffer,
  inputSize: readonly [number, number],
  resize: ResizeMode,
  maxPixels = DEFAULT_MAX_PIXELS,
): Promise<RgbImage> {
  const { width, height } = await orientedSize(image, maxPixels);
  // failOn 'truncated' rejects cut-off uploads (libjpeg would pad them with grey) but tolerates
  // the harmless warnings many phone JPEGs trigger.
  let pipeline = sharp(image, { failOn: 'truncated', limitInputPixels: maxPixels }).rotate();
  const [boxHeight, boxWidth] = [2 * inputSize[0], 2 * inputSize[1]];
  if (resize === 'stretch' && (width > boxWidth || height > boxHeight)) {
    pipeline = pipeline.resize({
      width: Math.min(width, boxWidth),
      height: Math.min(height, boxHeight),
      fit: 'fill',
    });
  } else if (resize === 'center-crop' && width > boxWidth && height > boxHeight) {
    pipeline = pipeline.resize({ width: boxWidth, height: boxHeight, fit: 'outside' });
  }
  try {
    const { data, info } = await pipeline
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { data, width: info.width, height: info.height } satisfies RgbImage;
  } catch (cause) {
    throw corrupt(cause);
  }
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

/** The model's input for one image: height * width * 3 floats, ready for tf.tensor4d. */
export async function preprocessImage(image: Buffer, options: PreprocessOptions): Promise<Float32Array> {
  const { inputSize, maxPixels } = options;
  const decoded = await decodeForResize(image, inputSize, options.preprocessing.resize, maxPixels);
  return normalise(
    resizeBilinear(decoded, options.inputSize, options.preprocessing.resize),
    options.preprocessing,
  );
}
