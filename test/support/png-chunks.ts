import { crc32, createDeflate } from 'node:zlib';

/**
 * PNG files assembled chunk by chunk, so tests and benchmarks can send what no encoder writes:
 * duplicated or reordered IHDR/IDAT/PLTE/tRNS chunks, lengths that lie, zlib bombs.
 */
export interface PngChunk {
  type: string;
  data: Buffer;
  /** The length field as written; the data's own length when absent. */
  declaredLength?: number;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function encodeChunk({ type, data, declaredLength }: PngChunk): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(declaredLength ?? data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function pngOf(chunks: readonly PngChunk[]): Buffer {
  return Buffer.concat([PNG_SIGNATURE, ...chunks.map(encodeChunk)]);
}

/** PNG colour types: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
export function ihdr(width: number, height: number, bitDepth = 8, colorType = 2, interlace = 0): PngChunk {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = bitDepth;
  data[9] = colorType;
  data[12] = interlace;
  return { type: 'IHDR', data };
}

export const iend: PngChunk = { type: 'IEND', data: Buffer.alloc(0) };

/** The bytes per row of raw (unfiltered) image data, without the filter byte. */
export function rowBytes(width: number, bitDepth: number, colorType: number): number {
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType] ?? 3;
  return Math.ceil((width * channels * bitDepth) / 8);
}

/**
 * A zlib stream of `rows` rows of `rowLength` zero bytes, each after the filter byte `filter`
 * (4: Paeth, the costliest to undo): a few bytes per megabyte, so a 1 MB chunk inflates to ~1 GB.
 */
export async function zeroRows(rowLength: number, rows: number, filter = 0): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const zeros = Buffer.alloc(Math.min(rowLength, 1 << 20));
  const write = (bytes: Buffer) =>
    deflate.write(bytes) ? Promise.resolve() : new Promise<void>((r) => deflate.once('drain', r));
  for (let row = 0; row < rows; row++) {
    await write(Buffer.from([filter]));
    for (let left = rowLength; left > 0; left -= zeros.length) {
      await write(zeros.subarray(0, Math.min(left, zeros.length)));
    }
  }
  await new Promise<void>((resolve, reject) => {
    deflate.once('error', reject);
    // 'end', not end()'s callback: the last compressed bytes are read out after the input finishes.
    deflate.once('end', resolve);
    deflate.end();
  });
  return Buffer.concat(out);
}

/**
 * The file that made one request allocate gigabytes: its first IHDR says a 30000x256 strip (cheap to
 * any reader that takes the first), a second IHDR after the image data says one row of `wideWidth`
 * pixels, and the image data inflates to two such rows (Paeth-filtered when `paeth`).
 */
export async function doubleIhdrBomb(wideWidth = 178_000_000, paeth = false): Promise<Buffer> {
  const data = await zeroRows(rowBytes(wideWidth, 8, 2), 2, paeth ? 4 : 0);
  return pngOf([ihdr(30_000, 256), { type: 'IDAT', data }, ihdr(wideWidth, 2), iend]);
}

/** The chunks of a well-formed PNG, in order (for tests that take a real file apart). */
export function chunksOf(png: Buffer): PngChunk[] {
  const chunks: PngChunk[] = [];
  for (let at = PNG_SIGNATURE.length; at + 12 <= png.length; ) {
    const length = png.readUInt32BE(at);
    chunks.push({
      type: png.toString('latin1', at + 4, at + 8),
      data: png.subarray(at + 8, at + 8 + length),
    });
    at += 12 + length;
  }
  return chunks;
}
