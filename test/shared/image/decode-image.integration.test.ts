import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { resizeBilinear } from '../../../shared/image/bilinear-resize.js';
import { readImageForModel } from '../../../shared/image/decode-image.js';

// Strips of tens of thousands of pixels decoded for real: seconds of sharp's time each, so apart from
// the fast cases in decode-image.test.ts.

const pixel = (values: Float32Array, width: number, x: number, y: number) =>
  Array.from(values.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)).map(Math.round);

const mobilenet = [224, 224] as const;
const decode = (image: Buffer) =>
  readImageForModel(image, { inputSize: mobilenet, resize: 'center-crop' }, { maxImagePixels: 40_000_000 });

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'decoded',
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );

describe('decoding strips', () => {
  it('decodes only the middle of a 30000x256 PNG strip with alpha, to 8-bit RGB on white', async () => {
    // Half-transparent red everywhere, a blue square in the middle: what the crop must keep.
    const strip = await sharp({
      create: { width: 30_000, height: 256, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } },
    })
      .composite([
        {
          input: { create: { width: 200, height: 200, channels: 4, background: '#0000ff' } },
          left: 14_900,
          top: 28,
        },
      ])
      .png()
      .toBuffer();
    const decoded = await decode(strip);
    expect([decoded.width, decoded.height]).toEqual([256, 256]);
    expect(decoded.data.length).toBe(256 * 256 * 3);
    expect(decoded.frame).toEqual({ left: 14_872, top: 0, width: 30_000, height: 256 });
    const at = (x: number, y: number) =>
      Array.from(decoded.data.subarray((y * 256 + x) * 3, (y * 256 + x) * 3 + 3));
    expect(at(128, 128)).toEqual([0, 0, 255]);
    const [r, g, b] = at(2, 2);
    expect(r).toBe(255);
    expect(Math.abs((g ?? 0) - 128)).toBeLessThanOrEqual(1);
    expect(Math.abs((b ?? 0) - 128)).toBeLessThanOrEqual(1);
    const input = resizeBilinear(decoded, mobilenet, 'center-crop');
    expect(pixel(input, 224, 112, 112)).toEqual([0, 0, 255]);
  });

  it('decodes a palette strip to its colours', async () => {
    const palette = await sharp({
      create: { width: 20_000, height: 300, channels: 3, background: '#336699' },
    })
      .png({ palette: true })
      .toBuffer();
    const decoded = await decode(palette);
    expect([decoded.width, decoded.height]).toEqual([301, 300]);
    expect(Array.from(decoded.data.subarray(0, 3))).toEqual([0x33, 0x66, 0x99]);
  });

  it('refuses, before decoding, strips whose rows or samples are over the budgets', async () => {
    // 156000x256 16-bit RGBA: 320 MB of samples, and libvips would hold 320 MB of rows.
    const wide = await sharp({
      create: { width: 156_000, height: 256, channels: 4, background: '#808080' },
      limitInputPixels: false,
    })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    // 100000x300 16-bit grey: 60 MB of samples, but 180 MB of rows held at 16-bit RGB.
    const grey = await sharp({
      create: { width: 100_000, height: 300, channels: 3, background: '#808080' },
      limitInputPixels: false,
    })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    expect(await codeOf(decode(wide))).toBe('IMAGE_TOO_MANY_PIXELS');
    expect(await codeOf(decode(grey))).toBe('IMAGE_TOO_MANY_PIXELS');
  });
});
