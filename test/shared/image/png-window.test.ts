import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { canDecodePngWindow, decodePngWindow } from '../../../shared/image/png-window.js';

const [W, H] = [97, 61];
const window = { left: 13, top: 7, width: 50, height: 40 };

/** Busy pixels, so every PNG row filter (sharp picks them adaptively) and every alpha level occur. */
const raw = (channels: 1 | 2 | 3 | 4): Sharp => {
  const data = Buffer.alloc(W * H * channels);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + (i >> 7) * 11) & 255;
  return sharp(data, { raw: { width: W, height: H, channels } });
};

/** What libvips makes of the same window, the way the preprocessing asks for it. */
const libvipsWindow = (png: Buffer) =>
  sharp(png)
    .extract(window)
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer();

const cases: [string, () => Sharp][] = [
  ['8-bit RGB', () => raw(3).png()],
  ['8-bit RGBA', () => raw(4).png()],
  ['8-bit grey', () => raw(1).png()],
  ['8-bit grey + alpha', () => raw(2).png()],
  ['16-bit RGB', () => raw(3).toColourspace('rgb16').png()],
  ['16-bit RGBA', () => raw(4).toColourspace('rgb16').png()],
  ['16-bit grey', () => raw(1).toColourspace('grey16').png()],
  ['16-bit grey + alpha', () => raw(2).toColourspace('grey16').png()],
  ['8-bit palette', () => raw(3).png({ palette: true })],
  ['palette with transparency', () => raw(4).png({ palette: true })],
  ['2-bit palette', () => raw(3).png({ palette: true, colours: 4 })],
];

describe('the PNG window decoder', () => {
  it.each(cases)('decodes a window of a %s PNG as libvips does (within 2 levels)', async (_, make) => {
    const png = await make().toBuffer();
    const expected = await libvipsWindow(png);
    const got = await decodePngWindow(png, window);
    expect(got.length).toBe(window.width * window.height * 3);
    const worst = got.reduce((max, v, i) => Math.max(max, Math.abs(v - (expected[i] as number))), 0);
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('refuses interlaced PNGs, which cannot be read a row at a time', async () => {
    const interlaced = await raw(3).png({ progressive: true }).toBuffer();
    expect(canDecodePngWindow(interlaced)).toBe(false);
    expect(canDecodePngWindow(await raw(3).png().toBuffer())).toBe(true);
  });

  it('fails, without hanging, on image data that ends before the window', async () => {
    const png = await raw(3).png({ compressionLevel: 0 }).toBuffer();
    const cut = Buffer.from(png.subarray(0, Math.floor(png.length / 3)));
    await expect(decodePngWindow(cut, window)).rejects.toThrow();
  });
});
