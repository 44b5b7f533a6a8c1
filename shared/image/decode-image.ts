import sharp, { type OutputInfo } from 'sharp';
import { UnprocessableImageError } from '../errors.js';
import type { DecodedImage, ResizeMode } from '../ports/model.js';
import { sourceWindow } from './bilinear-resize.js';
import { checkDecodeCost, decodeCost, type PreShrinkTimes, preShrinkSize } from './decode-cost.js';
import { DEFAULT_DECODE_GATE } from './decode-gate.js';
import type { ImageHeader } from './image-header.js';
import { orientPixels, type Rect, storedRect, swapsAxes } from './orientation.js';
import { checkImageHeader, type ImageLimits } from './validate-image.js';

/*
 * libvips' operation cache (50 MB, 100 operations by default) keeps the results of recent operations
 * for reuse. Uploads are unique, so it never hits, and what it holds would escape the decode gate's
 * accounting; off, a decode's memory is freed when it ends. sharp.concurrency stays at sharp's
 * default, 1 libvips thread per pipeline on glibc Linux: parallelism comes from the libuv threadpool,
 * bounded by the decode gate.
 */
sharp.cache(false);

/**
 * The CPU time one decode may take, on its libvips thread (waiting for the thread does not count):
 * then libvips stops and the request answers 422 IMAGE_TOO_COMPLEX. The costliest images within the
 * limits (checkImageHeader) decode in 0.3-2 s here idle, a phone photo in 0.05-0.2 s: this is the
 * backstop against a file that is slow in a way its header does not show, not a limit real photos meet.
 */
export const DECODE_TIMEOUT_SECONDS = 5;

/** What the decode is for: the model's input size and how it fits the image to it. */
export interface DecodeTarget {
  /** [height, width] */
  inputSize: readonly [number, number];
  resize: ResizeMode;
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
 * centre crop of a 40000x1000 strip, a square in the middle instead of 40 million pixels.
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

function corrupt(cause: unknown): UnprocessableImageError {
  return new UnprocessableImageError('CORRUPT_IMAGE', 'The image could not be decoded.', cause);
}

/**
 * Decodes the image `header` describes (readImageHeader, the one parse of it that the limits and the
 * decode cost were checked on), upright, as the window of planDecode: libvips streams the rows
 * through the shrink and keeps only that window, and JPEG and WebP shrink on load. Everything runs in
 * the stored orientation and the small window is turned upright last, because libvips must hold a
 * whole image to rotate it. Alpha is flattened onto white and greyscale, 16-bit or CMYK becomes 8-bit
 * sRGB, so there are always 3 channels.
 */
export async function decodeImage(
  image: Buffer,
  header: ImageHeader,
  target: DecodeTarget,
  timeoutSeconds = DECODE_TIMEOUT_SECONDS,
): Promise<DecodedImage> {
  const { inputSize, resize } = target;
  const swap = swapsAxes(header.orientation);
  const upright = swap ? { width: header.height, height: header.width } : header;
  const plan = planDecode(upright, inputSize, resize, decodeCost(header, inputSize, resize).times);
  const storedScaled = swap ? { width: plan.scaled.height, height: plan.scaled.width } : plan.scaled;
  const window = storedRect(plan.window, storedScaled, header.orientation);

  // MAX_IMAGE_PIXELS was checked on `header`; libvips refuses to read more pixels than it declared.
  let pipeline = sharp(image, {
    failOn: 'truncated',
    limitInputPixels: header.width * header.height,
  }).timeout({ seconds: timeoutSeconds });
  if (storedScaled.width !== header.width || storedScaled.height !== header.height) {
    // 'fill' to the size planDecode chose, as the window is cut from that grid.
    pipeline = pipeline.resize({ ...storedScaled, fit: 'fill' });
  }
  if (window.width !== storedScaled.width || window.height !== storedScaled.height) {
    pipeline = pipeline.extract(window);
  }
  const started = performance.now();
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    // failOn 'truncated' rejects cut-off uploads (libjpeg would pad them with grey) but tolerates
    // the harmless warnings many phone JPEGs trigger.
    decoded = await pipeline
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (cause) {
    // sharp's timeout error has no code of its own: the clock tells it apart.
    if (performance.now() - started >= timeoutSeconds * 1000) throw tooComplex(timeoutSeconds, cause);
    throw corrupt(cause);
  }
  const { data, info } = decoded;
  if (info.channels !== 3 || info.width !== window.width || info.height !== window.height) {
    throw corrupt(new Error(`decoded to ${info.width}x${info.height}x${info.channels}`));
  }
  const oriented = orientPixels(data, info.width, info.height, header.orientation);
  return { ...oriented, frame: { ...plan.window, width: plan.scaled.width, height: plan.scaled.height } };
}

function tooComplex(seconds: number, cause: unknown): UnprocessableImageError {
  return new UnprocessableImageError(
    'IMAGE_TOO_COMPLEX',
    `Decoding this image took more than ${seconds} s of CPU, the most one image may use; send a smaller or simpler image.`,
    cause,
  );
}

/**
 * The whole way from bytes to pixels for callers outside a server (CLI, training, benchmarks): the
 * same checks and decode as predict, without the process's decode gate.
 */
export async function readImageForModel(
  image: Buffer,
  target: DecodeTarget,
  limits: Pick<ImageLimits, 'maxImagePixels'>,
): Promise<DecodedImage> {
  const header = await checkImageHeader(image, { maxImageBytes: image.length, ...limits });
  const cost = decodeCost(header, target.inputSize, target.resize);
  checkDecodeCost(header, cost.bytes, DEFAULT_DECODE_GATE.budgetBytes);
  return decodeImage(image, header, target);
}
