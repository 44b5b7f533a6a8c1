import sharp, { type Metadata } from 'sharp';
import { UnprocessableImageError } from '../errors.js';

/** What the header says, read without decoding a pixel: enough to refuse, plan and cost a decode. */
export interface ImageHeader {
  format: string;
  /** As stored; `orientation` says how to turn it upright. */
  width: number;
  height: number;
  orientation: number | undefined;
  channels: number;
  /** Bytes per sample: 1, or 2 for 16-bit PNGs. */
  sampleBytes: number;
  /**
   * The decoder must hold the whole image before it gives out a row: progressive JPEG (every DCT
   * coefficient), interlaced PNG (Adam7 passes), lossless WebP (backward references reach anywhere).
   */
  layout: 'streaming' | 'whole-image';
  /** JPEG chroma subsampling, e.g. '4:2:0' or '4:4:4'. */
  chromaSubsampling: string | undefined;
  /** A WebP with an ALPH chunk: its alpha plane is decoded whole. */
  webpAlpha: boolean;
  /** Size of the encoded image. */
  compressedBytes: number;
}

function corrupt(cause?: unknown): UnprocessableImageError {
  return new UnprocessableImageError(
    'CORRUPT_IMAGE',
    'The image cannot be read: it is corrupt or truncated.',
    cause,
  );
}

/** The four-character codes of a WebP's RIFF chunks, in order (at most 16: real files have 1 to 5). */
function webpChunks(image: Buffer): string[] {
  const names: string[] = [];
  let at = 12;
  while (at + 8 <= image.length && names.length < 16) {
    names.push(image.toString('latin1', at, at + 4));
    const size = image.readUInt32LE(at + 4);
    at += 8 + size + (size % 2);
  }
  return names;
}

const SAMPLE_BYTES: Record<string, number> = { uchar: 1, char: 1, ushort: 2, short: 2, float: 4 };

export async function readImageHeader(image: Buffer): Promise<ImageHeader> {
  let meta: Metadata;
  try {
    meta = await sharp(image, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw corrupt(cause);
  }
  if (!meta.width || !meta.height || !meta.format) throw corrupt();
  const chunks = meta.format === 'webp' ? webpChunks(image) : [];
  const wholeImage =
    (meta.format === 'jpeg' && meta.isProgressive === true) ||
    (meta.format === 'png' && meta.isProgressive === true) ||
    chunks.includes('VP8L');
  return {
    format: meta.format,
    width: meta.width,
    height: meta.height,
    orientation: meta.orientation,
    channels: meta.channels ?? 4,
    sampleBytes: SAMPLE_BYTES[meta.depth ?? 'uchar'] ?? 4,
    layout: wholeImage ? 'whole-image' : 'streaming',
    chromaSubsampling: meta.chromaSubsampling,
    webpAlpha: chunks.includes('ALPH'),
    compressedBytes: image.length,
  };
}
