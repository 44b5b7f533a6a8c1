/**
 * The worst shapes a client may send within the default limits (MAX_IMAGE_PIXELS 40 MP,
 * MAX_IMAGE_BYTES 5 MiB): few bytes on the wire, many pixels, extreme aspect ratios, 16-bit samples,
 * alpha, palettes, and the layouts whose decoders cannot stream (progressive JPEG, interlaced PNG,
 * lossless WebP). Generated once into the OS temp folder (several seconds) and reused; never committed.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { doubleIhdrBomb, encodeChunk } from '../test/support/png-chunks.js';
import { jpegVariant } from './stats.js';

interface PixelShape {
  name: string;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  depth: 8 | 16;
  encode(image: Sharp): Sharp;
}

/** A file no encoder writes, assembled byte by byte: the shapes of a hostile client. */
export type Shape = PixelShape | { name: string; make(): Promise<Buffer> };

const shape = (
  name: string,
  [width, height]: [number, number],
  channels: PixelShape['channels'],
  depth: PixelShape['depth'],
  encode: PixelShape['encode'],
): PixelShape => ({ name, width, height, channels, depth, encode });
/** 156000 x 256 = 39.9 MP: the example, under 40 MP; 6324 x 6324 = 39.99 MP. */
const WIDE: [number, number] = [156_000, 256];
const TALL: [number, number] = [256, 156_000];
const SQUARE: [number, number] = [6_324, 6_324];
const png = (i: Sharp) => i.png();

export const SHAPES: readonly Shape[] = [
  shape('png 156000x256 rgb8', WIDE, 3, 8, png),
  shape('png 156000x256 rgba16', WIDE, 4, 16, png),
  shape('png 256x156000 rgba16', TALL, 4, 16, png),
  shape('png 156000x256 grey+alpha16', WIDE, 2, 16, png),
  shape('png 156000x256 palette', WIDE, 3, 8, (i) => i.png({ palette: true })),
  shape('png 6324x6324 rgba16 interlaced', SQUARE, 4, 16, (i) => i.png({ progressive: true })),
  shape('jpeg 6324x6324 4:4:4', SQUARE, 3, 8, (i) => i.jpeg({ chromaSubsampling: '4:4:4' })),
  shape('jpeg 65500x610', [65_500, 610], 3, 8, (i) => i.jpeg()),
  shape('jpeg 6324x6324 progressive 4:4:4', SQUARE, 3, 8, (i) =>
    i.jpeg({ progressive: true, chromaSubsampling: '4:4:4' }),
  ),
  shape('webp 16383x2441 lossless', [16_383, 2_441], 4, 8, (i) => i.webp({ lossless: true })),
  shape('webp 16383x2441 lossy', [16_383, 2_441], 3, 8, (i) => i.webp()),
  // Issue 14: a 1 MB file whose IHDRs disagree (30000x256 first, a 178-million-pixel row after the
  // image data), its data two such rows of zeros; the Paeth variant makes every byte cost arithmetic.
  { name: 'png double IHDR zero rows', make: () => doubleIhdrBomb() },
  { name: 'png double IHDR Paeth rows', make: () => doubleIhdrBomb(178_000_000, true) },
];

/** Soft blocks with a little texture: compresses well (a few MB at most) but decodes to real work. */
function pattern(shape: PixelShape): Uint8Array | Uint16Array {
  const { width, height, channels, depth } = shape;
  const size = width * height * channels;
  const data = depth === 16 ? new Uint16Array(size) : new Uint8Array(size);
  const max = depth === 16 ? 65_535 : 255;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const block = ((x >> 7) ^ (y >> 7)) & 7;
      for (let c = 0; c < channels; c++) {
        const alpha = channels % 2 === 0 && c === channels - 1;
        const value = alpha ? max : Math.round(((block * 32 + c * 40) % 256) * (max / 255));
        data[(y * width + x) * channels + c] = value;
      }
    }
  }
  return data;
}

const cacheDir = path.join(tmpdir(), 'pettracker-bench-shapes-v2');

/** The encoded image of a shape, made on first use. */
export async function shapeBytes(shape: Shape): Promise<Buffer> {
  const file = path.join(cacheDir, `${shape.name.replace(/[^a-z0-9]+/gi, '-')}.bin`);
  if (existsSync(file)) return readFile(file);
  const bytes = 'make' in shape ? await shape.make() : await encodePixels(shape);
  await mkdir(cacheDir, { recursive: true });
  await writeFile(file, bytes);
  return bytes;
}

function encodePixels(shape: PixelShape): Promise<Buffer> {
  const raw = { width: shape.width, height: shape.height, channels: shape.channels };
  // A Uint16Array makes sharp read 16-bit samples; the PNG encoder keeps that depth.
  let image = sharp(pattern(shape), { raw, limitInputPixels: false });
  if (shape.depth === 16) image = image.toColourspace(shape.channels <= 2 ? 'grey16' : 'rgb16');
  return shape.encode(image).toBuffer();
}

/**
 * A copy that hashes differently but decodes to the same pixels, so concurrent requests are not
 * answered by one shared inference or from the cache: a JPEG COM segment, a PNG tEXt chunk after
 * IHDR, or (WebP) an unknown RIFF chunk at the end, which decoders skip.
 */
export function variant(image: Buffer, n: number): Buffer {
  const text = Buffer.from(`bench-${n}`);
  if (image[0] === 0xff) return jpegVariant(image, n);
  if (image[0] === 0x89) {
    const chunk = encodeChunk({ type: 'tEXt', data: Buffer.concat([Buffer.from('Comment\0'), text]) });
    const afterIhdr = 8 + 8 + 13 + 4;
    return Buffer.concat([image.subarray(0, afterIhdr), chunk, image.subarray(afterIhdr)]);
  }
  const padded = text.length % 2 === 0 ? text : Buffer.concat([text, Buffer.alloc(1)]);
  const chunk = Buffer.alloc(8 + padded.length);
  chunk.write('XBNC', 0, 'ascii');
  chunk.writeUInt32LE(text.length, 4);
  padded.copy(chunk, 8);
  const out = Buffer.concat([image, chunk]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}
