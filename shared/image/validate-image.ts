import {
  BadRequestError,
  PayloadTooLargeError,
  UnprocessableImageError,
  UnsupportedMediaTypeError,
} from '../errors.js';
import { rawSampleBytes } from './decode-cost.js';
import { type ImageHeader, readImageHeader } from './image-header.js';
import { type ImageType, SUPPORTED_IMAGE_TYPES, sniffImageType } from './sniff-image.js';

export interface ImageLimits {
  maxImageBytes: number;
  maxImagePixels: number;
}

/** Media types under which a client may send image bytes without naming the format. */
const GENERIC_TYPES = new Set(['application/octet-stream', '']);

/**
 * The cheap checks, done before hashing: size, and magic bytes against the declared type.
 * Anything that reaches the cache key has passed these.
 */
export function checkImageBytes(
  image: Buffer,
  declaredType: string | undefined,
  limits: ImageLimits,
): ImageType {
  if (image.length === 0) throw new BadRequestError('EMPTY_BODY', 'The request has no image.');
  if (image.length > limits.maxImageBytes) throw new PayloadTooLargeError(limits.maxImageBytes);
  const sniffed = sniffImageType(image);
  const declared = (declaredType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!sniffed) {
    throw new UnsupportedMediaTypeError(
      'UNSUPPORTED_MEDIA_TYPE',
      `The body is not a JPEG, PNG or WebP image (supported: ${SUPPORTED_IMAGE_TYPES.join(', ')}).`,
    );
  }
  if (!GENERIC_TYPES.has(declared) && declared !== sniffed) {
    throw new UnsupportedMediaTypeError(
      'CONTENT_TYPE_MISMATCH',
      `The content type says ${declared} but the bytes are ${sniffed}.`,
    );
  }
  return sniffed;
}

/**
 * Reads only the header to learn the dimensions, so a decompression bomb is refused before any
 * pixel is decoded. The header is returned for costing and planning the decode: it is the one parse
 * of the image that every later step goes by (decode-image.ts decodes what it describes).
 */
export async function checkImageHeader(image: Buffer, limits: ImageLimits): Promise<ImageHeader> {
  const header = await readImageHeader(image);
  const { width, height } = header;
  if (width * height > limits.maxImagePixels) {
    throw new UnprocessableImageError(
      'IMAGE_TOO_MANY_PIXELS',
      `The image is ${width}x${height}, over the limit of ${limits.maxImagePixels} pixels.`,
    );
  }
  // The pixel limit counts 8-bit RGBA pixels: deeper or wider samples are counted for what they are.
  const samples = rawSampleBytes(header);
  if (samples > 4 * limits.maxImagePixels) {
    throw new UnprocessableImageError(
      'IMAGE_TOO_MANY_PIXELS',
      `The image is ${width}x${height} with ${header.channels} channels of ${8 * header.sampleBytes} bits: ${Math.ceil(samples / 2 ** 20)} MB of samples to decode, over the limit of ${Math.floor((4 * limits.maxImagePixels) / 2 ** 20)} MB (${limits.maxImagePixels} pixels of 8-bit RGBA).`,
    );
  }
  return header;
}
