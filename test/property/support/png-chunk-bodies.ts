import fc from 'fast-check';
import sharp from 'sharp';
import { makeJpeg } from '../../support/images.js';
import {
  chunksOf,
  doubleIhdrBomb,
  ihdr,
  type PngChunk,
  pngOf,
  rowBytes,
  zeroRows,
} from '../../support/png-chunks.js';

/** Real PNGs taken apart into chunks, and zlib bombs to splice in. */
export interface PngChunkCorpus {
  files: PngChunk[][];
  /** IDAT payloads that inflate to far more than any header in the corpus says. */
  bombs: Buffer[];
  /** Whole hostile files: two IHDRs that disagree, with a bomb between them. */
  hostile: Buffer[];
}

/** Small RGB, palette-with-alpha, 16-bit RGBA and interlaced PNGs, and bombs under `maxBytes`. */
export async function loadPngChunkCorpus(maxBytes: number): Promise<PngChunkCorpus> {
  const base = await makeJpeg(48, 36, 80);
  const pngs = [
    await sharp(base).png().toBuffer(),
    await sharp(base).ensureAlpha(0.5).png({ palette: true }).toBuffer(),
    await sharp(base).ensureAlpha().toColourspace('rgb16').png().toBuffer(),
    await sharp(base).png({ progressive: true }).toBuffer(),
  ];
  // A row of 2 million RGB pixels twice (12 MB), and rows sized so the file stays under maxBytes.
  const wide = Math.floor((maxBytes * 900) / 3 / 2);
  const bombs = [await zeroRows(rowBytes(2_000_000, 8, 2), 2, 4), await zeroRows(rowBytes(wide, 8, 2), 2, 0)];
  return { files: pngs.map(chunksOf), bombs, hostile: [await doubleIhdrBomb(wide, true)] };
}

type Edit = (chunks: PngChunk[]) => PngChunk[];

const at = (n: number, chunks: readonly unknown[]) => n % (chunks.length + 1);

const dimension = fc.oneof(
  fc.integer({ min: 1, max: 64 }),
  fc.constantFrom(0, 30_000, 65_535, 178_000_000, 2 ** 31 - 1, 2 ** 32 - 1),
  fc.nat(),
);

/** A chunk a hostile file might carry anywhere: another IHDR, a PLTE, a tRNS longer than any palette. */
function strayChunk(corpus: PngChunkCorpus): fc.Arbitrary<PngChunk> {
  return fc.oneof(
    fc
      .record({
        width: dimension,
        height: dimension,
        depth: fc.constantFrom(1, 2, 4, 8, 16, 3, 0, 255),
        color: fc.constantFrom(0, 2, 3, 4, 6, 1, 7),
        interlace: fc.constantFrom(0, 1, 2),
      })
      .map(({ width, height, depth, color, interlace }) => ihdr(width, height, depth, color, interlace)),
    fc.uint8Array({ minLength: 0, maxLength: 800 }).map((d) => ({ type: 'PLTE', data: Buffer.from(d) })),
    fc.uint8Array({ minLength: 0, maxLength: 600 }).map((d) => ({ type: 'tRNS', data: Buffer.from(d) })),
    fc.constantFrom(...corpus.bombs).map((data) => ({ type: 'IDAT', data })),
    fc.uint8Array({ maxLength: 64 }).map((d) => ({ type: 'IDAT', data: Buffer.from(d) })),
    fc
      .constantFrom('IEND', 'gAMA', 'iCCP', 'zTXt', 'acTL', 'fdAT')
      .map((type) => ({ type, data: Buffer.alloc(4) })),
  );
}

/** Structural edits of a chunk list: duplicated, reordered, removed, inserted, lying about lengths. */
function editArbitrary(corpus: PngChunkCorpus): fc.Arbitrary<Edit> {
  return fc.oneof(
    fc.tuple(fc.nat(), fc.nat()).map(
      ([from, to]): Edit =>
        (c) => {
          const chunk = c[from % c.length];
          return chunk ? [...c.slice(0, at(to, c)), chunk, ...c.slice(at(to, c))] : c;
        },
    ),
    fc.tuple(fc.nat(), fc.nat()).map(
      ([from, to]): Edit =>
        (c) => {
          const i = from % c.length;
          const rest = [...c.slice(0, i), ...c.slice(i + 1)];
          const chunk = c[i];
          return chunk ? [...rest.slice(0, at(to, rest)), chunk, ...rest.slice(at(to, rest))] : c;
        },
    ),
    fc.nat().map(
      (i): Edit =>
        (c) =>
          c.filter((_, j) => j !== i % c.length),
    ),
    fc.tuple(fc.nat(), strayChunk(corpus)).map(
      ([to, chunk]): Edit =>
        (c) => [...c.slice(0, at(to, c)), chunk, ...c.slice(at(to, c))],
    ),
    fc.tuple(fc.nat(), fc.oneof(fc.nat({ max: 64 }), fc.nat(), fc.constant(2 ** 32 - 1))).map(
      ([i, declaredLength]): Edit =>
        (c) =>
          c.map((chunk, j) => (j === i % c.length ? { ...chunk, declaredLength } : chunk)),
    ),
  );
}

/** PNG files rebuilt from real ones after 1-4 structural edits, or a whole hostile file. */
export function pngChunkArbitrary(corpus: PngChunkCorpus): fc.Arbitrary<Buffer> {
  return fc.oneof(
    {
      weight: 9,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...corpus.files),
          fc.array(editArbitrary(corpus), { minLength: 1, maxLength: 4 }),
        )
        .map(([chunks, edits]) => pngOf(edits.reduce((c, edit) => edit(c), chunks))),
    },
    { weight: 1, arbitrary: fc.constantFrom(...corpus.hostile) },
  );
}
