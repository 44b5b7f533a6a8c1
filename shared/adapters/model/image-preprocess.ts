import sharp from 'sharp';
import { UnprocessableImageError } from '../../errors.js';
import {
  decodesPngWindow,
  type PreShrinkTimes,
  preShrinkSize,
  preShrinkTimes,
} from '../../image/decode-cost.js';
import { type ImageHeader, readImageHeader } from '../../image/image-header.js';
import { orientPixels, type Rect, storedRect, swapsAxes } from '../../image/orientation.js';
import { decodePngWindow } from '../../image/png-window.js';
import type { Preprocessing, ResizeMode } from '../../ports/model.js';
import { type RgbImage, resizeBilinear, sourceWindow } from './bilinear-resize.js';

/*
 * libvips' operation cache (50 MB, 100 operations by default) keeps the results of recent operations
 * for reuse. Uploads are unique, so it never hits, and what it holds would escape the decode gate's
 * accounting; off, a decode's memory is freed when it ends. (Measured: no change in peak RSS for the
 * worst shapes, so this is about what the gate can promise, not a figure.) sharp.concurrency stays at
 * sharp's default, 1 libvips thread per pipeline on glibc Linux: parallelism comes from the libuv
 * threadpool, bounded by the decode gate.
 */
sharp.cache(false);

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

/** What will be decoded: the pre-shrunk size of the whole upright image, and the part of it needed. */
export interface DecodePlan {
  /** The upright image after libvips' antialiased pre-shrink (its own size when not shrunk). */
  scaled: { width: number; height: number };
  /** The part of `scaled` the bilinear resize reads: the only pixels decoded to memory. */
  window: Rect;
}

/**
 * After the pre-shrink (preShrinkSize), only the window the bilinear resize samples is kept: for a
 * centre crop of a 156000x256 strip, a 256x256 square instead of 40 million pixels.
 */
export function planDecode(
  upright: { width: number; height: number },
  inputSize: readonly [number, number],
  resize: ResizeMode,
  times: PreShrinkTimes = 2,
): DecodePlan {
  const scaled = preShrinkSize(upright, inputSize, resize, times);
  return { scaled, window: sourceWindow(scaled.width, scaled.height, inputSize, resize) };
}

/** Refused before decoding, so a decompression bomb costs nothing. */
function checkPixels(header: ImageHeader, maxPixels: number): void {
  if (header.width * header.height > maxPixels) {
    throw new UnprocessableImageError(
      'IMAGE_TOO_MANY_PIXELS',
      `The image has ${header.width}x${header.height} pixels; the limit is ${maxPixels} pixels.`,
    );
  }
}

/**
 * Decodes any format sharp reads, upright (phones store portraits sideways and say so in EXIF),
 * as the window of planDecode: libvips streams the rows through the shrink and keeps only that
 * window, and JPEG and WebP shrink on load. Everything runs in the stored orientation and the small
 * window is turned upright last, because libvips must hold a whole image to rotate it.
 * Alpha is flattened onto white and greyscale, 16-bit or CMYK becomes 8-bit sRGB, so there are
 * always 3 channels.
 */
export async function decodeForResize(
  image: Buffer,
  inputSize: readonly [number, number],
  resize: ResizeMode,
  maxPixels = DEFAULT_MAX_PIXELS,
): Promise<RgbImage> {
  const head = await readImageHeader(image);
  checkPixels(head, maxPixels);
  const swap = swapsAxes(head.orientation);
  const upright = swap ? { width: head.height, height: head.width } : head;
  const plan = planDecode(upright, inputSize, resize, preShrinkTimes(head, inputSize, resize));
  const storedScaled = swap ? { width: plan.scaled.height, height: plan.scaled.width } : plan.scaled;
  const window = storedRect(plan.window, storedScaled, head.orientation);

  const shrinks = storedScaled.width !== head.width || storedScaled.height !== head.height;
  const { data, info } = decodesPngWindow(head, shrinks)
    ? await decodeStripWindow(image, window)
    : await decodeWithLibvips(image, head, storedScaled, window, maxPixels);
  if (info.channels !== 3 || info.width !== window.width || info.height !== window.height) {
    throw corrupt(new Error(`decoded to ${info.width}x${info.height}x${info.channels}`));
  }
  const oriented = orientPixels(data, info.width, info.height, head.orientation);
  return {
    ...oriented,
    frame: { ...plan.window, width: plan.scaled.width, height: plan.scaled.height },
  } satisfies RgbImage;
}

type Decoded = { data: Uint8Array; info: { width: number; height: number; channels: number } };

async function decodeStripWindow(image: Buffer, window: Rect): Promise<Decoded> {
  try {
    const data = await decodePngWindow(image, window);
    return { data, info: { width: window.width, height: window.height, channels: 3 } };
  } catch (cause) {
    throw corrupt(cause);
  }
}

/** Shrinks to `storedScaled` and keeps `window` of it, all in the stored orientation. */
async function decodeWithLibvips(
  image: Buffer,
  head: ImageHeader,
  storedScaled: { width: number; height: number },
  window: Rect,
  maxPixels: number,
): Promise<Decoded> {
  // failOn 'truncated' rejects cut-off uploads (libjpeg would pad them with grey) but tolerates
  // the harmless warnings many phone JPEGs trigger.
  let pipeline = sharp(image, { failOn: 'truncated', limitInputPixels: maxPixels });
  if (storedScaled.width !== head.width || storedScaled.height !== head.height) {
    // 'fill' to the size planDecode chose, as the window is cut from that grid. The earlier 'outside'
    // resize rounded the other axis on its own, under half a pixel apart; MobileNet's score on the
    // test pets is the same (22/25 breeds, 36/37 species).
    pipeline = pipeline.resize({ ...storedScaled, fit: 'fill' });
  }
  if (window.width !== storedScaled.width || window.height !== storedScaled.height) {
    pipeline = pipeline.extract(window);
  }
  try {
    return await pipeline
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
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
