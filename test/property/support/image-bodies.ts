import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { jpegClaimingSize, makeJpeg } from '../../support/images.js';
import { headerValue } from './hostile-values.js';
import { loadPngChunkCorpus, type PngChunkCorpus, pngChunkArbitrary } from './png-chunk-bodies.js';

export interface ImageCorpus {
  /** Real, decodable images: small ones made here, and a few photos of the shared test data. */
  images: { type: string; bytes: Buffer }[];
  /** Headers claiming absurd sizes: decompression-bomb shapes. */
  bombs: Buffer[];
  /** PNGs taken apart, to be put back together wrongly. */
  pngChunks: PngChunkCorpus;
}

// Read in place, never copied into the repository (the photos are not ours to commit).
const PETS = path.resolve(import.meta.dirname, '../../../../shared/testdata/pets');
const PHOTOS = ['beagle_10.jpg', 'British_Shorthair_10.jpg', 'chihuahua_12.jpg'];

/**
 * The mutation corpus: real JPEG, PNG and WebP files, built with sharp or read from the test data.
 * `maxImageBytes`: the target's MAX_IMAGE_BYTES, which the hostile PNGs stay under.
 */
export async function loadImageCorpus(maxImageBytes: number): Promise<ImageCorpus> {
  const base = await makeJpeg(48, 36, 80);
  const images = [
    { type: 'image/jpeg', bytes: base },
    { type: 'image/png', bytes: await sharp(base).png().toBuffer() },
    { type: 'image/webp', bytes: await sharp(base).webp({ quality: 60 }).toBuffer() },
    { type: 'image/png', bytes: await sharp(base).ensureAlpha().png({ palette: true }).toBuffer() },
    { type: 'image/jpeg', bytes: await sharp(base).jpeg({ progressive: true }).toBuffer() },
  ];
  for (const name of PHOTOS) {
    try {
      images.push({ type: 'image/jpeg', bytes: await readFile(path.join(PETS, name)) });
    } catch {
      // The shared test data is absent on a laptop: the made images still cover the three formats.
    }
  }
  const png = Buffer.from(images[1]?.bytes ?? base);
  png.writeUInt32BE(60_000, 16); // IHDR width
  png.writeUInt32BE(60_000, 20); // IHDR height
  return {
    images,
    bombs: [await jpegClaimingSize(60_000, 60_000), await jpegClaimingSize(65_535, 1), png],
    pngChunks: await loadPngChunkCorpus(maxImageBytes),
  };
}

type Mutation = (bytes: Buffer) => Buffer;

/** Byte-level mutations of a real file: flips, cuts, insertions, splices, zeroed runs. */
const anyMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(
    ([at, x]): Mutation =>
      (b) => {
        const copy = Buffer.from(b);
        const i = at % copy.length;
        copy[i] = (copy[i] ?? 0) ^ x;
        return copy;
      },
  ),
  fc.nat().map(
    (at): Mutation =>
      (b) =>
        b.subarray(0, at % (b.length + 1)),
  ),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(
    ([at, bytes]): Mutation =>
      (b) => {
        const i = at % (b.length + 1);
        return Buffer.concat([b.subarray(0, i), Buffer.from(bytes), b.subarray(i)]);
      },
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 400 })).map(
    ([at, n]): Mutation =>
      (b) => {
        const copy = Buffer.from(b);
        copy.fill(0, at % copy.length, Math.min(copy.length, (at % copy.length) + n));
        return copy;
      },
  ),
  fc.nat().map(
    (at): Mutation =>
      (b) => {
        // The header kept, the rest repeated: a file that claims more than it holds.
        const i = Math.max(1, at % b.length);
        return Buffer.concat([b.subarray(0, i), b.subarray(0, i)]);
      },
  ),
);

// An earlier cut may have left nothing: positions are taken modulo the length, so leave it empty.
const mutation = anyMutation.map(
  (m): Mutation =>
    (b) =>
      b.length === 0 ? b : m(b),
);

/** Image bytes: intact, mutated a few times, a bomb header, random bytes or nothing at all. */
export function imageBytesArbitrary(
  corpus: ImageCorpus,
): fc.Arbitrary<{ kind: string; type: string; bytes: Buffer }> {
  const real = fc.constantFrom(...corpus.images);
  return fc.oneof(
    { weight: 2, arbitrary: real.map((i) => ({ kind: 'image:intact', ...i })) },
    {
      weight: 6,
      arbitrary: fc.tuple(real, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([i, ms]) => ({
        kind: 'image:mutated',
        type: i.type,
        bytes: ms.reduce((b, m) => m(b), i.bytes),
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...corpus.bombs)
        .map((bytes) => ({ kind: 'image:bomb', type: 'image/jpeg', bytes })),
    },
    {
      weight: 2,
      arbitrary: pngChunkArbitrary(corpus.pngChunks).map((bytes) => ({
        kind: 'image:png-chunks',
        type: 'image/png',
        bytes,
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 2048 })
        .map((a) => ({ kind: 'image:random', type: 'image/jpeg', bytes: Buffer.from(a) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          Buffer.from([0xff, 0xd8, 0xff]),
          Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
          Buffer.from('RIFF\x00\x00\x00\x00WEBP', 'latin1'),
          Buffer.alloc(0),
        )
        .map((bytes) => ({ kind: 'image:magic-only', type: 'image/jpeg', bytes })),
    },
  );
}

const CRLF = '\r\n';

interface Framing {
  kind: string;
  contentType: string;
  body: Buffer;
}

const boundaryArb = fc.oneof(
  fc.constant('----pettracker-prop'),
  fc.string({
    unit: fc.constantFrom('a', 'B', '0', '-', '_', "'", '(', '+', ',', '.', '/', ':', '=', '?', ' '),
    minLength: 1,
    maxLength: 90,
  }),
);

/** Multipart framings around a part's bytes: valid, unterminated, cut short, mislabelled, crowded. */
export function multipartArbitrary(corpus: ImageCorpus): fc.Arbitrary<Framing> {
  const part = imageBytesArbitrary(corpus);
  const partType = fc.oneof(
    fc.constantFrom(
      'image/jpeg',
      'image/jpg',
      'image/png',
      'image/webp',
      'application/octet-stream',
      'text/plain',
      '',
    ),
    headerValue,
  );
  return fc
    .record({
      boundary: boundaryArb,
      part,
      partType,
      field: fc.constantFrom('image', 'image', 'image', 'file', 'IMAGE', ''),
      shape: fc.constantFrom(
        'valid',
        'valid',
        'text-fields-around',
        'other-file-first',
        'unterminated-part',
        'missing-closing-boundary',
        'cut-headers',
        'wrong-boundary',
        'no-boundary-param',
        'extra-image-parts',
        'nested-multipart',
        'lf-only',
        'many-fields',
        'no-filename',
        'huge-part-header',
        'preamble-and-epilogue',
        'empty-body',
      ),
      noise: fc.uint8Array({ maxLength: 64 }),
    })
    .map(({ boundary, part: p, partType: type, field, shape, noise }) => {
      const b = shape === 'wrong-boundary' ? `${boundary}x` : boundary;
      const typeLine = type === '' ? '' : `Content-Type: ${type}${CRLF}`;
      const head = (name: string, filename = 'a.jpg', t = typeLine) =>
        `--${boundary}${CRLF}Content-Disposition: form-data; name="${name}"${shape === 'no-filename' ? '' : `; filename="${filename}"`}${CRLF}${t}${CRLF}`;
      const filePart = (name: string = field) =>
        Buffer.concat([Buffer.from(head(name), 'latin1'), p.bytes, Buffer.from(CRLF)]);
      const textPart = (name: string, value: string) =>
        Buffer.from(
          `--${boundary}${CRLF}Content-Disposition: form-data; name="${name}"${CRLF}${CRLF}${value}${CRLF}`,
          'latin1',
        );
      const close = Buffer.from(`--${boundary}--${CRLF}`);
      let parts: Buffer[];
      switch (shape) {
        case 'text-fields-around':
          parts = [textPart('note', 'hello'), filePart(), textPart('topK', '3'), close];
          break;
        case 'other-file-first':
          parts = [
            Buffer.concat([
              Buffer.from(head('other', 'x.bin', 'Content-Type: application/octet-stream\r\n'), 'latin1'),
              Buffer.from(noise),
              Buffer.from(CRLF),
            ]),
            filePart(),
            close,
          ];
          break;
        case 'unterminated-part':
          parts = [Buffer.from(head(field), 'latin1'), p.bytes];
          break;
        case 'missing-closing-boundary':
          parts = [filePart(), Buffer.from(`--${boundary}`)];
          break;
        case 'cut-headers':
          parts = [
            Buffer.from(head(field).slice(0, Math.max(3, noise.length % head(field).length)), 'latin1'),
          ];
          break;
        case 'extra-image-parts':
          parts = [filePart(), filePart(), filePart('image2'), close];
          break;
        case 'nested-multipart':
          parts = [
            Buffer.from(
              `--${boundary}${CRLF}Content-Disposition: form-data; name="${field}"${CRLF}Content-Type: multipart/mixed; boundary=inner${CRLF}${CRLF}--inner${CRLF}Content-Type: image/jpeg${CRLF}${CRLF}`,
              'latin1',
            ),
            p.bytes,
            Buffer.from(`${CRLF}--inner${CRLF}`),
            Buffer.from(noise),
            Buffer.from(CRLF),
            close,
          ];
          break;
        case 'lf-only':
          parts = [
            Buffer.from(head(field).replaceAll(CRLF, '\n'), 'latin1'),
            p.bytes,
            Buffer.from(`\n--${boundary}--\n`),
          ];
          break;
        case 'many-fields':
          parts = [...Array.from({ length: 120 }, (_, i) => textPart(`f${i}`, 'v')), filePart(), close];
          break;
        case 'huge-part-header':
          parts = [
            Buffer.from(
              `--${boundary}${CRLF}Content-Disposition: form-data; name="${field}"; filename="${'a'.repeat(100_000)}"${CRLF}${CRLF}`,
              'latin1',
            ),
            p.bytes,
            Buffer.from(CRLF),
            close,
          ];
          break;
        case 'preamble-and-epilogue':
          parts = [Buffer.from(noise), Buffer.from(CRLF), filePart(), close, Buffer.from(noise)];
          break;
        case 'empty-body':
          parts = [];
          break;
        default:
          parts = [filePart(), close];
      }
      const contentType =
        shape === 'no-boundary-param'
          ? 'multipart/form-data'
          : `multipart/form-data; boundary=${/[ '(),/:=?]/.test(b) ? `"${b}"` : b}`;
      return { kind: `multipart:${shape}/${p.kind}`, contentType, body: Buffer.concat(parts) };
    });
}
