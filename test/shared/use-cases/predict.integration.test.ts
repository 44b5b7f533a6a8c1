import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadTfjsModel } from '../../../shared/adapters/model/tfjs-model.js';
import { ModelSlot } from '../../../shared/model-slot.js';
import { predict } from '../../../shared/use-cases/predict.js';
import { hasTestdata, mobilenetExport, mobilenetTeachableMetadata, petsDir } from '../../support/fixtures.js';
import { coreWith } from '../../support/model-core.js';

// The real MobileNet on a 156,000-pixel strip: real-size work, beside the fast cases in predict.test.ts.

describe('predict under memory pressure', () => {
  const MB = 1024 * 1024;

  it.skipIf(!hasTestdata)(
    'classifies a pet in the middle of a 156000x256 16-bit RGBA PNG strip as it classifies the photo',
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
        const side = Math.floor((156_000 - width) / 2);
        const strip = await sharp(photo)
          .extend({ left: side, right: 156_000 - width - side, background: '#ffffff' })
          .ensureAlpha()
          .toColourspace('rgb16')
          .png()
          .toBuffer();
        expect((await sharp(strip).metadata()).width).toBe(156_000);
        const fromPhoto = await predict(core, { image: photo, contentType: 'image/jpeg', topK: 1 });
        const fromStrip = await predict(core, { image: strip, contentType: 'image/png', topK: 1 });
        expect(fromPhoto.predictions[0]?.breed).toBe('pug, pug-dog');
        expect(fromStrip.predictions[0]?.breed).toBe('pug, pug-dog');
      } finally {
        await loaded.dispose();
      }
    },
  );
});
