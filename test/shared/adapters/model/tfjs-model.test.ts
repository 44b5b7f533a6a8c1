import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyImage } from '../../../../shared/adapters/model/image-preprocess.js';
import { ModelLoadError } from '../../../../shared/adapters/model/model-errors.js';
import { loadTfjsModel, type TfjsModel } from '../../../../shared/adapters/model/tfjs-model.js';
import { AppError } from '../../../../shared/errors.js';
import { placeholderDir } from '../../../support/fixtures.js';

let model: TfjsModel;
let photo: Buffer;
const logged: { obj: object; msg?: string }[] = [];

beforeAll(async () => {
  model = await loadTfjsModel({
    uri: placeholderDir,
    logger: { info: (obj, msg) => logged.push({ obj, msg }) },
  });
  // A diagonal gradient: structure for the convolutions, unlike a flat colour.
  const pixels = Buffer.alloc(300 * 200 * 3);
  for (let i = 0; i < 300 * 200; i++) pixels.set([(i % 300) % 256, Math.floor(i / 300), 128], i * 3);
  photo = await sharp(pixels, { raw: { width: 300, height: 200, channels: 3 } })
    .jpeg()
    .toBuffer();
});
afterAll(() => model.dispose());

describe('the placeholder model', () => {
  it('describes itself from its metadata', () => {
    expect(model.info).toMatchObject({
      name: 'pettracker-placeholder',
      version: 'placeholder-1',
      format: 'layers',
      inputSize: [128, 128],
      preprocessing: { resize: 'center-crop', scale: 2, offset: -1 },
      untrained: true,
      source: placeholderDir,
    });
    // tfjs-node cannot install here, so 'auto' lands on WASM; where it can, on native TensorFlow.
    expect(['tensorflow', 'wasm']).toContain(model.info.backend);
    expect(model.info.labels).toHaveLength(37);
  });

  it('reports load and warm-up times and logs the backend it chose', () => {
    expect(model.stats.loadMs).toBeGreaterThan(0);
    expect(model.stats.warmupMs).toBeGreaterThan(0);
    expect(logged.find((entry) => entry.msg === 'TF.js backend selected')?.obj).toMatchObject({
      backend: model.info.backend,
    });
    expect(logged.find((entry) => entry.msg === 'model ready')?.obj).toMatchObject({
      version: 'placeholder-1',
    });
  });

  it('returns a distribution over the 37 breeds, best first, with species', async () => {
    const { scores, pet } = await classifyImage(model, photo, 37);
    expect(pet).toBeUndefined(); // the placeholder has no pet gate
    expect(scores).toHaveLength(37);
    expect(new Set(scores.map((s) => s.label)).size).toBe(37);
    expect(scores.reduce((sum, s) => sum + s.confidence, 0)).toBeCloseTo(1, 5);
    for (let i = 1; i < scores.length; i++) {
      expect(scores[i - 1]?.confidence).toBeGreaterThanOrEqual(scores[i]?.confidence ?? 0);
    }
    expect(scores.find((s) => s.label === 'Bengal')?.species).toBe('cat');
    expect(scores.find((s) => s.label === 'Pug')?.species).toBe('dog');
  });

  it('returns only the top k', async () => {
    const all = await classifyImage(model, photo, 37);
    expect((await classifyImage(model, photo, 3)).scores).toEqual(all.scores.slice(0, 3));
  });

  it('leaks no tensors across classify calls', async () => {
    await classifyImage(model, photo, 5);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await classifyImage(model, photo, 5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('answers concurrent calls each with its own result', async () => {
    const other = await sharp({ create: { width: 128, height: 128, channels: 3, background: '#2060f0' } })
      .png()
      .toBuffer();
    const [a, b] = [await classifyImage(model, photo, 5), await classifyImage(model, other, 5)];
    expect(a).not.toEqual(b);
    const results = await Promise.all(
      [photo, other, photo, other].map((image) => classifyImage(model, image, 5)),
    );
    expect(results).toEqual([a, b, a, b]);
  });

  it('answers CORRUPT_IMAGE for truncated and non-image uploads', async () => {
    for (const bad of [photo.subarray(0, photo.length >> 1), Buffer.from('GIF89a nonsense')]) {
      const error = await classifyImage(model, bad, 3).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('CORRUPT_IMAGE');
    }
  });
});

describe('loading failures', () => {
  async function placeholderCopy(metadata: unknown): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-model-'));
    await cp(placeholderDir, dir, { recursive: true });
    if (metadata === undefined) await rm(path.join(dir, 'metadata.json'));
    else await writeFile(path.join(dir, 'metadata.json'), JSON.stringify(metadata));
    return dir;
  }
  const metadata = async () => JSON.parse(await readFile(path.join(placeholderDir, 'metadata.json'), 'utf8'));

  it('fails when the metadata lists a different number of labels than the model outputs', async () => {
    const wrong = await metadata();
    wrong.labels = wrong.labels.slice(1);
    wrong.species = wrong.species.slice(1);
    await expect(loadTfjsModel({ uri: await placeholderCopy(wrong) })).rejects.toThrow(
      /37 outputs but the metadata lists 36 labels/,
    );
  });

  it('fails when the metadata input size does not match the model', async () => {
    const wrong = { ...(await metadata()), inputSize: [224, 224] };
    await expect(loadTfjsModel({ uri: await placeholderCopy(wrong) })).rejects.toThrow(ModelLoadError);
  });

  it('fails without metadata.json, which gives the labels', async () => {
    await expect(loadTfjsModel({ uri: await placeholderCopy(undefined) })).rejects.toThrow(
      /metadata\.json is missing/,
    );
  });

  it('uses a content hash as the version when the metadata has none', async () => {
    const { version, ...unversioned } = await metadata();
    const loaded = await loadTfjsModel({ uri: await placeholderCopy(unversioned) });
    expect(loaded.info.version).toMatch(/^sha256-[0-9a-f]{12}$/);
    await loaded.dispose();
  });

  it('refuses a folder that is not a model', async () => {
    await expect(loadTfjsModel({ uri: os.tmpdir() })).rejects.toThrow(/no model\.json/);
    await expect(loadTfjsModel({ uri: '/nonexistent/model' })).rejects.toThrow(ModelLoadError);
  });

  it('answers NOT_READY after dispose', async () => {
    const loaded = await loadTfjsModel({ uri: placeholderDir });
    await loaded.dispose();
    const error = await classifyImage(loaded, photo, 1).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('NOT_READY');
  });
});
