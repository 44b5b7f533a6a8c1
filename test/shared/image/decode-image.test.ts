import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { normalise, preprocessImage } from '../../../shared/adapters/model/image-preprocess.js';
import { AppError } from '../../../shared/errors.js';
import { resizeBilinear } from '../../../shared/image/bilinear-resize.js';
import { planDecode, readImageForModel } from '../../../shared/image/decode-image.js';
import type { ResizeMode } from '../../../shared/ports/model.js';

const decodeForResize = (image: Buffer, inputSize: readonly [number, number], resize: ResizeMode) =>
  readImageForModel(image, { inputSize, resize }, { maxImagePixels: 50_000_000 });

type Rgb = [number, number, number];
const RED: Rgb = [255, 0, 0];
const GREEN: Rgb = [0, 255, 0];
const BLUE: Rgb = [0, 0, 255];

/** A lossless PNG whose column x has colour columnColour(x). */
function stripes(width: number, height: number, columnColour: (x: number) => Rgb) {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set(columnColour(x), (y * width + x) * 3);
  return sharp(data, { raw: { width, height, channels: 3 } });
}

const pixel = (values: Float32Array, width: number, x: number, y: number) =>
  Array.from(values.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)).map(Math.round);

const expectCode = async (promise: Promise<unknown>, code: string) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
};

// 40x20: red columns 0-9, green 10-29, blue 30-39.
const bands = (x: number): Rgb => (x < 10 ? RED : x < 30 ? GREEN : BLUE);

describe('resizing', () => {
  it('centre crop scales the shorter side and keeps only the middle', async () => {
    const png = await stripes(40, 20, bands).png().toBuffer();
    const decoded = await decodeForResize(png, [10, 10], 'center-crop');
    const out = resizeBilinear(decoded, [10, 10], 'center-crop');
    for (const x of [0, 4, 9]) for (const y of [0, 9]) expect(pixel(out, 10, x, y)).toEqual(GREEN);
  });

  it('stretch keeps the whole width, so the red and blue edges survive', async () => {
    const png = await stripes(40, 20, bands).png().toBuffer();
    const out = await preprocessImage(png, {
      inputSize: [10, 10],
      preprocessing: { resize: 'stretch', scale: 255, offset: 0 },
    });
    const [r0, g0] = pixel(out, 10, 0, 5);
    const [, g5] = pixel(out, 10, 5, 5);
    const [, g9, b9] = pixel(out, 10, 9, 5);
    expect(r0).toBeGreaterThan(200);
    expect(g0).toBeLessThan(60);
    expect(g5).toBeGreaterThan(200);
    expect(b9).toBeGreaterThan(200);
    expect(g9).toBeLessThan(60);
  });

  it('bilinear halving averages each 2x2 block, as tf.image.resizeBilinear does', () => {
    const data = new Uint8Array([
      0, 0, 0, 100, 100, 100, 8, 8, 8, 40, 40, 40, 20, 20, 20, 60, 60, 60, 4, 4, 4, 0, 0, 0,
    ]);
    const out = resizeBilinear({ data, width: 4, height: 2 }, [1, 2], 'stretch');
    expect(Array.from(out)).toEqual([45, 45, 45, 13, 13, 13]);
  });
});

describe('decoding', () => {
  it('honours the EXIF orientation: a sideways-stored photo comes out upright', async () => {
    // Stored 600x400 with red on the left; orientation 6 means "rotate 90 degrees clockwise to view".
    const jpeg = await stripes(600, 400, (x) => (x < 300 ? RED : BLUE))
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const upright = await decodeForResize(jpeg, [300, 200], 'stretch');
    expect([upright.width, upright.height]).toEqual([400, 600]);

    const out = await preprocessImage(jpeg, {
      inputSize: [30, 20],
      preprocessing: { resize: 'stretch', scale: 255, offset: 0 },
    });
    for (const x of [2, 17]) {
      const [r, , b] = pixel(out, 20, x, 3);
      expect(r).toBeGreaterThan(200);
      expect(b).toBeLessThan(60);
      const [r2, , b2] = pixel(out, 20, x, 26);
      expect(b2).toBeGreaterThan(200);
      expect(r2).toBeLessThan(60);
    }
  });

  it('turns greyscale with alpha into RGB, transparent pixels white', async () => {
    const png = await sharp(Buffer.from([100, 255, 0, 0]), { raw: { width: 2, height: 1, channels: 2 } })
      .png()
      .toBuffer();
    const decoded = await decodeForResize(png, [1, 2], 'stretch');
    expect(Array.from(decoded.data)).toEqual([100, 100, 100, 255, 255, 255]);
  });

  it('maps pixels to [-1, 1] with scale 2 and offset -1', () => {
    expect(Array.from(normalise(new Float32Array([0, 127.5, 255]), { scale: 2, offset: -1 }))).toEqual([
      -1, 0, 1,
    ]);
  });
});

describe('bad images', () => {
  const options = {
    inputSize: [32, 32] as const,
    preprocessing: { resize: 'center-crop' as const, scale: 2, offset: -1 },
  };

  it('answers CORRUPT_IMAGE for a truncated JPEG', async () => {
    const jpeg = await stripes(200, 150, bands).jpeg().toBuffer();
    await expectCode(
      preprocessImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), options),
      'CORRUPT_IMAGE',
    );
  });

  it('answers CORRUPT_IMAGE for bytes that are no image, and for no bytes', async () => {
    await expectCode(preprocessImage(Buffer.from('definitely not a picture'), options), 'CORRUPT_IMAGE');
    await expectCode(preprocessImage(Buffer.alloc(0), options), 'CORRUPT_IMAGE');
  });

  it('answers IMAGE_TOO_MANY_PIXELS above maxPixels, before decoding', async () => {
    const png = await stripes(100, 100, bands).png().toBuffer();
    await expectCode(preprocessImage(png, { ...options, maxPixels: 9_999 }), 'IMAGE_TOO_MANY_PIXELS');
    await expect(preprocessImage(png, { ...options, maxPixels: 10_000 })).resolves.toHaveLength(32 * 32 * 3);
  });
});

describe('decoding to size', () => {
  const mobilenet = [224, 224] as const;

  it('plans about the model input for the worst shapes within 40 MP, whatever the aspect ratio', () => {
    const shapes: [number, number, 'center-crop' | 'stretch', [number, number], [number, number]][] = [
      // width, height, mode -> pre-shrunk size, decoded window
      [156_000, 256, 'center-crop', [156_000, 256], [256, 256]],
      [256, 156_000, 'center-crop', [256, 156_000], [256, 256]],
      [65_500, 610, 'center-crop', [48_105, 448], [447, 448]],
      [6_324, 6_324, 'center-crop', [448, 448], [448, 448]],
      [4_032, 3_024, 'center-crop', [597, 448], [447, 448]],
      [156_000, 256, 'stretch', [448, 256], [448, 256]],
    ];
    for (const [width, height, mode, scaled, window] of shapes) {
      const plan = planDecode({ width, height }, mobilenet, mode);
      expect([plan.scaled.width, plan.scaled.height], `${width}x${height} ${mode}`).toEqual(scaled);
      expect([plan.window.width, plan.window.height], `${width}x${height} ${mode}`).toEqual(window);
    }
  });

  it('gives, for all eight EXIF orientations, exactly what decoding the whole upright image gives', async () => {
    // Within twice the 20x30 input either way up: nothing is pre-shrunk, so the two must agree exactly.
    const [width, height] = [37, 29];
    const data = Buffer.alloc(width * height * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + Math.floor(i / 97) * 7) & 255;
    for (let orientation = 1; orientation <= 8; orientation++) {
      const png = await sharp(data, { raw: { width, height, channels: 3 } })
        .withMetadata({ orientation })
        .png()
        .toBuffer();
      const whole = await sharp(png).rotate().raw().toBuffer({ resolveWithObject: true });
      for (const mode of ['center-crop', 'stretch'] as const) {
        const expected = resizeBilinear(
          { data: whole.data, width: whole.info.width, height: whole.info.height },
          [20, 30],
          mode,
        );
        const got = resizeBilinear(await decodeForResize(png, [20, 30], mode), [20, 30], mode);
        expect(Array.from(got), `orientation ${orientation}, ${mode}`).toEqual(Array.from(expected));
      }
    }
  });
});
