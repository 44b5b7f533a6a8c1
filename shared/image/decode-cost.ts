import { UnprocessableImageError } from '../errors.js';
import type { ResizeMode } from '../ports/model.js';
import type { ImageHeader } from './image-header.js';
import { swapsAxes } from './orientation.js';

const MB = 1024 * 1024;

/**
 * Rows libvips keeps behind a sequential read: measured with sharp 0.35 / libvips 8.18, a 40000-wide
 * PNG read down to row 915 held 512 full rows, and a 156000x256 one all of its 256. Taken with a margin.
 */
const CACHED_ROWS = 1024;
/** The decoded window, the model's input floats, libvips' per-pipeline buffers: measured 1-6 MB. */
const FIXED_BYTES = 8 * MB;

/** The pre-shrink's target, in multiples of the model's input. */
export type PreShrinkTimes = 1 | 2;

/**
 * Above this, an image is pre-shrunk to the model's input itself rather than twice it: JPEG and WebP
 * then shrink further on load, and libvips caches narrower rows. A 40000x1000 JPEG drops from ~260 MB
 * to ~75 MB; only such extreme shapes lose the finer resize, never a phone photo (10-20 MB).
 */
const TWICE_UP_TO = 64 * MB;

/**
 * The upright size the decoder pre-shrinks to, antialiased, before the bilinear resize: twice the
 * model's input (bilinear is only faithful down to half size), keeping the aspect ratio for centre
 * crops. An image within twice the input is not shrunk.
 */
export function preShrinkSize(
  upright: { width: number; height: number },
  inputSize: readonly [number, number],
  resize: ResizeMode,
  times: PreShrinkTimes = 2,
): { width: number; height: number } {
  const { width, height } = upright;
  const [boxHeight, boxWidth] = [times * inputSize[0], times * inputSize[1]];
  if (resize === 'stretch' && (width > boxWidth || height > boxHeight)) {
    return { width: Math.min(width, boxWidth), height: Math.min(height, boxHeight) };
  }
  if (resize === 'center-crop' && width > boxWidth && height > boxHeight) {
    const factor = Math.max(boxWidth / width, boxHeight / height);
    return {
      width: Math.max(boxWidth, Math.round(width * factor)),
      height: Math.max(boxHeight, Math.round(height * factor)),
    };
  }
  return { width, height };
}

/** sharp's JPEG shrink-on-load (libjpeg's DCT scaling, 1/2/4/8) for a resize by `shrink`. */
function jpegShrinkOnLoad(shrink: number): number {
  const factor = shrink >= 8 ? 8 : shrink >= 4 ? 4 : shrink >= 2 ? 2 : 1;
  // sharp steps down when the shrink is an exact power of two, for libjpeg's rounding.
  return factor > 1 && Math.floor(shrink) === factor ? factor / 2 : factor;
}

/** Buffers a decoder fills with the whole image before it gives out a row (see ImageHeader.layout). */
function wholeImageBytes(header: ImageHeader): number {
  const pixels = header.width * header.height;
  if (header.layout === 'streaming') return header.webpAlpha ? pixels : 0;
  if (header.format === 'jpeg') {
    // One 16-bit coefficient per sample; 4:2:0 stores chroma at a quarter of the pixels.
    const samples = header.chromaSubsampling === '4:2:0' ? 1.5 : header.channels;
    return pixels * samples * 2;
  }
  if (header.format === 'webp') return pixels * 4;
  return pixels * header.channels * header.sampleBytes;
}

/** What one decode of an image will cost, from its header alone (decodeCost). */
export interface DecodeCost {
  /** An upper bound of its memory. */
  bytes: number;
  /** The pre-shrink it gets: twice the input, or the input itself where that costs less past TWICE_UP_TO. */
  times: PreShrinkTimes;
  /**
   * A second or more of CPU: over 64 MB of samples at the scale libvips loads the image at (after
   * JPEG/WebP shrink-on-load; a PNG loads whole), 16 MP of 8-bit RGBA. Heavy decodes never hold
   * every decode slot (decode-gate.ts), so an ordinary photo is not queued behind them.
   */
  heavy: boolean;
}

const HEAVY_ABOVE = 64 * MB;

/**
 * An upper bound of the memory one decode of this image takes (at the pre-shrink it will get), from
 * its header alone: the buffers of whole-image layouts, then the rows libvips caches at the width it
 * loads (after JPEG/WebP shrink-on-load), twice when it shrinks. Checked against the peak RSS of
 * single decodes (sharp 0.35, libvips 8.18): the worst shapes of `npm run bench:memory`, wide and
 * square baseline and progressive JPEGs; the estimate was 3-80% above each.
 */
export function decodeCost(
  header: ImageHeader,
  inputSize: readonly [number, number],
  resize: ResizeMode,
): DecodeCost {
  const twice = estimate(header, inputSize, resize, 2);
  // Pre-shrunk to the input itself where twice it would cost more than TWICE_UP_TO and the input
  // less (not so for a PNG strip within twice the input's height: shrinking it only adds rows).
  const once = twice.bytes > TWICE_UP_TO ? estimate(header, inputSize, resize, 1) : undefined;
  const [chosen, times]: [Estimate, PreShrinkTimes] =
    once && once.bytes < twice.bytes ? [once, 1] : [twice, 2];
  return { bytes: chosen.bytes, times, heavy: chosen.loadedSamples > HEAVY_ABOVE };
}

interface Estimate {
  bytes: number;
  loadedSamples: number;
}

function estimate(
  header: ImageHeader,
  inputSize: readonly [number, number],
  resize: ResizeMode,
  times: PreShrinkTimes,
): Estimate {
  const swap = swapsAxes(header.orientation);
  const upright = swap ? { width: header.height, height: header.width } : header;
  const scaled = preShrinkSize(upright, inputSize, resize, times);
  const stored = swap ? { width: scaled.height, height: scaled.width } : scaled;
  const shrinks = stored.width !== header.width || stored.height !== header.height;
  const shrink = Math.min(header.width / stored.width, header.height / stored.height);
  const loadScale =
    !shrinks || shrink <= 1
      ? 1
      : header.format === 'jpeg'
        ? jpegShrinkOnLoad(shrink)
        : header.format === 'webp'
          ? shrink
          : 1;
  const loadWidth = Math.ceil(header.width / loadScale);
  const loadHeight = Math.ceil(header.height / loadScale);
  const rowBytes = loadWidth * Math.max(3, header.channels) * header.sampleBytes;
  // The shrink's first, vertical stage caches as many rows again at the same width.
  const rows = Math.min(loadHeight, CACHED_ROWS) * (shrinks ? 2 : 1);
  return {
    // 10% over the formula, which came within 3% of the measured 40 MP progressive JPEG.
    bytes: Math.ceil(1.1 * (FIXED_BYTES + wholeImageBytes(header) + rowBytes * rows)),
    loadedSamples: rowBytes * loadHeight,
  };
}

/** Refuses an image whose decode alone would take more than the whole decode budget. */
export function checkDecodeCost(header: ImageHeader, costBytes: number, budgetBytes: number): void {
  if (costBytes <= budgetBytes) return;
  const why =
    header.layout === 'whole-image'
      ? ` A ${header.format === 'png' ? 'interlaced PNG' : header.format === 'jpeg' ? 'progressive JPEG' : 'lossless WebP'} is decoded whole; send it with fewer pixels or in a streaming layout.`
      : ' Send it with fewer pixels or a less extreme aspect ratio.';
  throw new UnprocessableImageError(
    'IMAGE_TOO_MANY_PIXELS',
    `Decoding this ${header.width}x${header.height} image would take about ${Math.ceil(costBytes / MB)} MB; one image may use ${Math.floor(budgetBytes / MB)} MB.${why}`,
  );
}

/**
 * The image's samples at full size (width x height x channels x bytes per sample): what a decoder
 * inflates, unfilters or entropy-decodes whatever the image is shrunk to, so a decode's CPU time grows
 * with it. The pixel limit counts 8-bit RGBA: an image may hold 4 bytes of samples per pixel of
 * MAX_IMAGE_PIXELS (checkImageHeader), so a 16-bit RGBA PNG gets a quarter of the pixels.
 */
export function rawSampleBytes(header: ImageHeader): number {
  return header.width * header.height * header.channels * header.sampleBytes;
}
