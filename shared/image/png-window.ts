import { createInflate } from 'node:zlib';
import type { Rect } from './orientation.js';

/**
 * Decodes one rectangle of a non-interlaced PNG to 8-bit RGB, alpha flattened onto white, holding
 * two rows of the image at a time and stopping after the last row it needs. libvips keeps hundreds of
 * full rows behind a sequential read (all 256 rows, 320 MB, of a 156000x256 16-bit RGBA strip whose
 * centre square is all a model sees); this is the "decode to size" for such strips. Colour profiles
 * and gamma chunks are not applied, as no shape that takes this path is a photo.
 */

interface PngLayout {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  palette: Buffer | undefined;
  transparency: Buffer | undefined;
  idat: Buffer[];
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export class PngWindowError extends Error {}

function layoutOf(png: Buffer): PngLayout {
  const idat: Buffer[] = [];
  let palette: Buffer | undefined;
  let transparency: Buffer | undefined;
  let ihdr: Buffer | undefined;
  for (let at = 8; at + 8 <= png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (data.length !== length) throw new PngWindowError(`${type} chunk cut short`);
    if (type === 'IHDR') ihdr = data;
    else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') transparency = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!ihdr || ihdr.length < 13 || idat.length === 0) throw new PngWindowError('no IHDR or IDAT');
  const [bitDepth, colorType, , , interlace] = ihdr.subarray(8, 13);
  if (interlace !== 0) throw new PngWindowError('interlaced');
  if (CHANNELS[colorType ?? -1] === undefined || !bitDepth) throw new PngWindowError('bad IHDR');
  if (colorType === 3 && !palette) throw new PngWindowError('palette image without PLTE');
  return {
    width: ihdr.readUInt32BE(0),
    height: ihdr.readUInt32BE(4),
    bitDepth,
    colorType: colorType as number,
    palette,
    transparency,
    idat,
  };
}

/** Undoes a row's filter in place (PNG spec, section 9); one loop per filter, as every row passes here. */
function unfilter(filter: number, row: Uint8Array, prev: Uint8Array, bpp: number): void {
  const n = row.length;
  if (filter === 0) return;
  if (filter === 1) {
    for (let i = bpp; i < n; i++) row[i] = ((row[i] as number) + (row[i - bpp] as number)) & 0xff;
  } else if (filter === 2) {
    for (let i = 0; i < n; i++) row[i] = ((row[i] as number) + (prev[i] as number)) & 0xff;
  } else if (filter === 3) {
    for (let i = 0; i < n; i++) {
      const left = i >= bpp ? (row[i - bpp] as number) : 0;
      row[i] = ((row[i] as number) + ((left + (prev[i] as number)) >> 1)) & 0xff;
    }
  } else if (filter === 4) {
    for (let i = 0; i < n; i++) {
      const left = i >= bpp ? (row[i - bpp] as number) : 0;
      const up = prev[i] as number;
      const upLeft = i >= bpp ? (prev[i - bpp] as number) : 0;
      const p = left + up - upLeft;
      const pa = Math.abs(p - left);
      const pb = Math.abs(p - up);
      const pc = Math.abs(p - upLeft);
      const add = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      row[i] = ((row[i] as number) + add) & 0xff;
    }
  } else throw new PngWindowError(`filter type ${filter}`);
}

/** Sample `index` of a row, at the image's bit depth. */
function sampleAt(row: Uint8Array, index: number, bitDepth: number): number {
  if (bitDepth === 8) return row[index] as number;
  if (bitDepth === 16) return ((row[2 * index] as number) << 8) | (row[2 * index + 1] as number);
  const bit = index * bitDepth;
  return ((row[bit >> 3] as number) >> (8 - bitDepth - (bit & 7))) & ((1 << bitDepth) - 1);
}

/** One pixel as 8-bit RGB over white. */
function pixelRgb(png: PngLayout, row: Uint8Array, x: number, out: Uint8Array, at: number): void {
  const { bitDepth, colorType } = png;
  const channels = CHANNELS[colorType] as number;
  const max = (1 << bitDepth) - 1;
  const to8 = (v: number) => (bitDepth === 16 ? v >> 8 : Math.round((v * 255) / max));
  const s = (c: number) => sampleAt(row, x * channels + c, bitDepth);
  let rgb: [number, number, number];
  let alpha = 255;
  const trns = png.transparency;
  if (colorType === 3) {
    const index = s(0);
    const p = png.palette as Buffer;
    rgb = [p[3 * index] ?? 0, p[3 * index + 1] ?? 0, p[3 * index + 2] ?? 0];
    if (trns && index < trns.length) alpha = trns[index] as number;
  } else if (colorType === 0 || colorType === 4) {
    const grey = s(0);
    rgb = [to8(grey), to8(grey), to8(grey)];
    if (colorType === 4) alpha = to8(s(1));
    else if (trns && trns.length >= 2 && trns.readUInt16BE(0) === grey) alpha = 0;
  } else {
    const [r, g, b] = [s(0), s(1), s(2)];
    rgb = [to8(r), to8(g), to8(b)];
    if (colorType === 6) alpha = to8(s(3));
    else if (
      trns &&
      trns.length >= 6 &&
      trns.readUInt16BE(0) === r &&
      trns.readUInt16BE(2) === g &&
      trns.readUInt16BE(4) === b
    )
      alpha = 0;
  }
  for (let c = 0; c < 3; c++) {
    const v = rgb[c] as number;
    out[at + c] = alpha === 255 ? v : Math.round((v * alpha + 255 * (255 - alpha)) / 255);
  }
}

/** Whether the PNG can be read this way (non-interlaced, a known colour type). */
export function canDecodePngWindow(png: Buffer): boolean {
  try {
    layoutOf(png);
    return true;
  } catch {
    return false;
  }
}

export async function decodePngWindow(png: Buffer, window: Rect): Promise<Uint8Array> {
  const layout = layoutOf(png);
  const channels = CHANNELS[layout.colorType] as number;
  const rowBytes = Math.ceil((layout.width * channels * layout.bitDepth) / 8);
  const bpp = Math.max(1, (channels * layout.bitDepth) >> 3);
  const out = new Uint8Array(window.width * window.height * 3);
  let prev = new Uint8Array(rowBytes);
  let row = new Uint8Array(rowBytes);
  // Filter byte + row; a row may straddle inflate's output chunks.
  let filled = 0;
  let filter = -1;
  let y = 0;
  const last = window.top + window.height - 1;

  const inflate = createInflate();
  inflate.end(Buffer.concat(layout.idat));
  for await (const chunk of inflate as AsyncIterable<Buffer>) {
    for (let at = 0; at < chunk.length; ) {
      if (filter < 0) {
        filter = chunk[at++] as number;
        continue;
      }
      const take = Math.min(rowBytes - filled, chunk.length - at);
      row.set(chunk.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled < rowBytes) continue;
      unfilter(filter, row, prev, bpp);
      if (y >= window.top) {
        const base = (y - window.top) * window.width * 3;
        for (let x = 0; x < window.width; x++) pixelRgb(layout, row, window.left + x, out, base + x * 3);
      }
      if (y === last) {
        inflate.destroy();
        return out;
      }
      [prev, row] = [row, prev];
      filled = 0;
      filter = -1;
      y++;
    }
  }
  throw new PngWindowError(`image data ends at row ${y} of ${layout.height}`);
}
