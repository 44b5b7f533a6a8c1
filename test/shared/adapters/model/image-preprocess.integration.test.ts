import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { resizeBilinear } from '../../../../shared/adapters/model/bilinear-resize.js';
import { decodeForResize } from '../../../../shared/adapters/model/image-preprocess.js';

// Strips of 100,000 and 156,000 pixels decoded for real: seconds of sharp's time each, so apart from
// the fast cases in image-preprocess.test.ts.

const pixel = (values: Float32Array, width: number, x: number, y: number) =>
  Array.from(values.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)).map(Math.round);

describe('decoding to size', () => {
  const mobilenet = [224, 224] as const;

  it('decodes only the middle of a 156000x256 PNG strip, 16-bit with alpha, to 8-bit RGB on white', async () => {
    // Half-transparent red everywhere, a blue square in the middle: what the crop must keep.
    const strip = await sharp({
      create: { width: 156_000, height: 256, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } },
      limitInputPixels: false,
    })
      .composite([
        {
          input: { create: { width: 200, height: 200, channels: 4, background: '#0000ff' } },
          left: 77_900,
          top: 28,
        },
      ])
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const decoded = await decodeForResize(strip, mobilenet, 'center-crop');
    expect([decoded.width, decoded.height]).toEqual([256, 256]);
    expect(decoded.data.length).toBe(256 * 256 * 3);
    expect(decoded.frame).toEqual({ left: 77_872, top: 0, width: 156_000, height: 256 });
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

  it('decodes a greyscale and a palette strip to the same window', async () => {
    const grey = await sharp({
      create: { width: 100_000, height: 300, channels: 3, background: '#808080' },
      limitInputPixels: false,
    })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    const palette = await sharp({
      create: { width: 100_000, height: 300, channels: 3, background: '#336699' },
      limitInputPixels: false,
    })
      .png({ palette: true })
      .toBuffer();
    for (const [png, rgb] of [
      [grey, [128, 128, 128]],
      [palette, [0x33, 0x66, 0x99]],
    ] as const) {
      const decoded = await decodeForResize(png, mobilenet, 'center-crop');
      expect([decoded.width, decoded.height]).toEqual([301, 300]);
      expect(Array.from(decoded.data.subarray(0, 3))).toEqual(rgb);
    }
  });
});
