import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backbone, loadBackbone } from '../../../cli/train/backbone.js';
import { embedAll, type Skipped } from '../../../cli/train/embed.js';
import { EmbeddingCache } from '../../../cli/train/embedding-cache.js';
import { VIEWS, viewInputs } from '../../../cli/train/views.js';
import { placeholderDir } from '../../support/fixtures.js';
import { makeJpeg } from '../../support/images.js';
import {
  NOT_UTF8_NAME,
  UNUSABLE,
  writeNotUtf8Photo,
  writeUnusablePhotos,
} from '../../support/unusable-photos.js';

let tmp: string;
let backbone: Backbone;
let good: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pettracker-embed-'));
  backbone = await loadBackbone(placeholderDir); // tiny: 128x128 in, 16 features out
  good = path.join(tmp, 'good.jpg');
  await writeFile(good, await makeJpeg(200, 150));
  await writeUnusablePhotos(tmp);
  await writeNotUtf8Photo(tmp);
});
afterAll(async () => {
  backbone?.model.dispose(); // the unit files share their workers: leave no weights behind
  await rm(tmp, { recursive: true, force: true });
});

async function embedWithGood(file: string | Buffer) {
  const skipped: Skipped[] = [];
  const cache = new EmbeddingCache(await mkdtemp(path.join(tmp, 'cache-')), backbone.version);
  const results = await embedAll([good, file, good], backbone, cache, {
    views: ['center', 'flip', 'zoom80'],
    onSkip: (photo) => skipped.push(photo),
  });
  return { results, skipped };
}

// Root reads locked.jpg whatever its mode; test/cli/commands/train.integration.test.ts runs that case
// as nobody.
const CASES = Object.entries(UNUSABLE).filter(([name]) => name !== 'locked.jpg');

describe('embedding photos', () => {
  it.each(CASES)('skips %s (%s), reports it, and embeds the photos around it', async (name, code) => {
    const file = path.join(tmp, name);
    const { results, skipped } = await embedWithGood(file);
    expect(skipped).toEqual([{ file, code, message: expect.any(String) }]);
    expect(results).toHaveLength(3);
    expect(results[1]).toBeUndefined();
    for (const result of [results[0], results[2]]) {
      expect(result?.views.get('zoom80')).toHaveLength(backbone.featureSize);
    }
  });

  it('embeds a photo whose name is not UTF-8', async () => {
    const file = Buffer.concat([Buffer.from(`${tmp}${path.sep}`), NOT_UTF8_NAME]);
    const { results, skipped } = await embedWithGood(file);
    expect(skipped).toEqual([]);
    expect(results[1]?.views.get('center')).toHaveLength(backbone.featureSize);
  });

  it('makes the phone-like views: grey is grey, small is smaller and the same on every run', async () => {
    const photo = await makeJpeg(400, 300);
    const options = { inputSize: backbone.inputSize, preprocessing: backbone.preprocessing };
    const inputs = await viewInputs(photo, VIEWS, options);
    expect([...inputs.keys()]).toEqual([...VIEWS]);
    const grey = inputs.get('grey') as Float32Array;
    for (let i = 0; i < grey.length; i += 3) {
      expect(Math.abs((grey[i] ?? 0) - (grey[i + 1] ?? 0))).toBeLessThan(0.02);
      expect(Math.abs((grey[i] ?? 0) - (grey[i + 2] ?? 0))).toBeLessThan(0.02);
    }
    const centre = inputs.get('center') as Float32Array;
    for (const view of ['small', 'down96', 'jpeg20', 'zoom80'] as const) {
      const input = inputs.get(view) as Float32Array;
      expect(input).toHaveLength(centre.length);
      expect(input).not.toEqual(centre);
    }
    const again = await viewInputs(photo, ['small'], options);
    expect(again.get('small')).toEqual(inputs.get('small'));
  });

  it('lets an error that is not about the photo through: a bug is not a skipped photo', async () => {
    const buggy = {
      get: async () => {
        throw new TypeError('a bug');
      },
    } as unknown as EmbeddingCache;
    await expect(embedAll([good], backbone, buggy, { views: ['center'] })).rejects.toThrow('a bug');
  });
});
