import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadTfjsModel } from '../../../shared/adapters/model/tfjs-model.js';
import { ModelSlot } from '../../../shared/model-slot.js';
import { predict } from '../../../shared/use-cases/predict.js';
import { hasTestdata, mobilenetExport, mobilenetTeachableMetadata, petsDir } from '../../support/fixtures.js';
import { coreWith } from '../../support/model-core.js';

// The real MobileNet on strips of 30,000 and 156,000 pixels: real-size work, beside the fast cases in
// predict.test.ts.

describe('predict under memory pressure', () => {
  const MB = 1024 * 1024;

  it.skipIf(!hasTestdata)(
    'classifies a pet in the middle of a 30000x256 RGBA PNG strip as the photo, and refuses a 156000x256 16-bit one before decoding',
    async () => {
      const loaded = await loadTfjsModel({ uri: await mobilenetExport(await mobilenetTeachableMetadata()) });
      try {
        const slot = new ModelSlot();
        slot.set(loaded);
        const core = {
          ...coreWith(loaded),
          model: slot,
          limits: { ...coreWith(loaded).limits, maxImageBytes: 5 * MB, maxImagePixels: 40_000_000 },
        };
        const photo = await sharp(path.join(petsDir, 'pug_16.jpg')).resize({ height: 256 }).toBuffer();
        const { width = 0 } = await sharp(photo).metadata();
        const strip = async (stripWidth: number, sixteenBits: boolean) => {
          const side = Math.floor((stripWidth - width) / 2);
          const padded = sharp(photo)
            .extend({ left: side, right: stripWidth - width - side, background: '#ffffff' })
            .ensureAlpha();
          return (sixteenBits ? padded.toColourspace('rgb16') : padded).png().toBuffer();
        };
        const send = (image: Buffer) => predict(core, { image, contentType: undefined, topK: 1 });
        expect((await send(photo)).predictions[0]?.breed).toBe('pug, pug-dog');
        expect((await send(await strip(30_000, false))).predictions[0]?.breed).toBe('pug, pug-dog');
        // 320 MB of samples, and rows libvips would hold at 320 MB: no camera makes this shape.
        await expect(send(await strip(156_000, true))).rejects.toMatchObject({
          status: 422,
          code: 'IMAGE_TOO_MANY_PIXELS',
        });
      } finally {
        await loaded.dispose();
      }
    },
  );
});
