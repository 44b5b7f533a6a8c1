import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { prepare, VARIANTS, variantReport } from '../../../cli/eval/variants.js';
import { unusableReason } from '../../../cli/image-files.js';
import { makeJpeg } from '../../support/images.js';
import { obs } from './observations.js';

const variant = (id: string) => {
  const found = VARIANTS.find((v) => v.id === id);
  if (!found) throw new Error(`no variant ${id}`);
  return found;
};

/** 320x240 stored, shown 240x320: EXIF orientation 6 turns it a quarter. */
const sideways = async () =>
  sharp(await makeJpeg(320, 240, 95))
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 95 })
    .toBuffer();

describe('robustness variants', () => {
  it('downscales to 96 px on the long side, upright, losslessly', async () => {
    const out = await variant('downscaled-96').make(await sideways());
    expect(await sharp(out).metadata()).toMatchObject({ format: 'png', width: 72, height: 96 });
    expect((await sharp(out).metadata()).orientation).toBeUndefined();
  });

  it('does not enlarge a photo already smaller than 96 px', async () => {
    const out = await variant('downscaled-96').make(await makeJpeg(40, 30));
    expect(await sharp(out).metadata()).toMatchObject({ width: 40, height: 30 });
  });

  it('makes the photo grey at its own size, upright', async () => {
    const out = await variant('greyscale').make(await sideways());
    const { data, info } = await sharp(out).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 240, height: 320, channels: 3 });
    const coloured = (pixels: Buffer) =>
      pixels.filter((v, i) => i % 3 === 0 && (v !== pixels[i + 1] || v !== pixels[i + 2])).length;
    expect(coloured(data)).toBe(0);
    expect(
      coloured(
        await sharp(await sideways())
          .raw()
          .toBuffer(),
      ),
    ).toBeGreaterThan(1000);
  });

  it('re-encodes as JPEG quality 20: same size, upright, far fewer bytes than quality 95', async () => {
    const photo = await sideways();
    const out = await variant('jpeg-q20').make(photo);
    expect(await sharp(out).metadata()).toMatchObject({ format: 'jpeg', width: 240, height: 320 });
    const q95 = await sharp(photo).rotate().jpeg({ quality: 95 }).toBuffer();
    expect(out.length).toBeLessThan(q95.length / 2);
  });

  it('counts a photo it cannot re-encode as unusable with a code, not as a crash', async () => {
    const error = await prepare(variant('greyscale'))(Buffer.from('not an image')).catch((e: unknown) => e);
    expect(unusableReason(error)).toMatchObject({ code: 'CORRUPT_IMAGE' });
  });
});

describe('a variant against the original photos', () => {
  const original = [
    obs({ name: '1.jpg' }),
    obs({ name: '2.jpg' }),
    obs({ name: '3.jpg' }),
    obs({ name: '4.jpg', top: ['pug', 'beagle'] }),
    obs({ name: '5.jpg', breed: 'havanese', targets: [], top: ['pug'] }), // not a model label
  ];
  const degraded = [
    obs({ name: '1.jpg' }),
    obs({ name: '2.jpg', top: ['pug', 'boxer', 'beagle'] }), // lost, still in the top 3
    obs({ name: '3.jpg', top: [], isPet: false, predictedSpecies: null }), // lost: refused
    obs({ name: '4.jpg' }), // gained
    obs({ name: '5.jpg', breed: 'havanese', targets: [], top: ['pug'] }),
  ];

  it('pairs the photos: lost, gained, the change and its McNemar p; and keeps every answer', () => {
    const r = variantReport(variant('jpeg-q20'), { observations: degraded, failures: [] }, original, 'gate');
    expect(r).toMatchObject({
      id: 'jpeg-q20',
      title: 'JPEG quality 20',
      evaluated: 5,
      top1: { n: 4, correct: 2 },
      top3: { n: 4, correct: 3 },
      species: { n: 5, correct: 4 },
      petsRefused: { n: 5, count: 1, rate: 0.2 },
      paired: { n: 4, originalOnly: 2, variantOnly: 1, difference: -0.25, p: 1 },
      failures: [],
    });
    expect(r.answers.map((a) => [a.name, a.top1Correct])).toEqual([
      ['1.jpg', true],
      ['2.jpg', false],
      ['3.jpg', false],
      ['4.jpg', true],
      ['5.jpg', null],
    ]);
  });
});
