import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingInterrupted, type Skipped } from '../../../cli/train/embed.js';
import { TUNED_CONV } from '../../../cli/train/export.js';
import { MAX_UINT8_TOP1_DROP } from '../../../cli/train/measure-export.js';
import { type TrainOptions, train } from '../../../cli/train/run.js';
import { DEFAULT_HEAD } from '../../../cli/train/settings.js';
import { classifyImage } from '../../../shared/adapters/model/image-preprocess.js';
import { loadTfjsModel } from '../../../shared/adapters/model/tfjs-model.js';
import { mobilenetDir, testdataDir } from '../../support/fixtures.js';

const petsTrain = path.join(testdataDir, 'pets-train');
const hasTrainingData = existsSync(path.join(petsTrain, 'manifest.csv')) && existsSync(mobilenetDir);

// Four breeds, four photos each, referenced by path (never copied): two cats, two dogs, and two of the
// breeds (Persian, beagle) are ImageNet classes, so the head starts from the backbone's rows for them.
const TINY = [
  ['Abyssinian', 'cat', ['Abyssinian_1', 'Abyssinian_10', 'Abyssinian_100', 'Abyssinian_102']],
  ['Persian', 'cat', ['Persian_1', 'Persian_10', 'Persian_100', 'Persian_101']],
  ['beagle', 'dog', ['beagle_14', 'beagle_116', 'beagle__n02088364_beagle']],
  ['pomeranian', 'dog', ['pomeranian_1', 'pomeranian_10', 'pomeranian_100', 'pomeranian_101']],
] as const;

async function tinyCsv(dir: string): Promise<string> {
  const manifest = await readFile(path.join(petsTrain, 'manifest.csv'), 'utf8');
  const rows = ['file,breed,species'];
  for (const [breed, species, stems] of TINY) {
    for (const stem of stems) {
      const file = path.join(petsTrain, 'images', `${stem}.jpg`);
      if (!manifest.includes(`\n${stem}.jpg,`)) throw new Error(`${stem}.jpg is not in pets-train`);
      rows.push(`${file},${breed},${species}`);
    }
  }
  const csv = path.join(dir, 'tiny.csv');
  await writeFile(csv, `${rows.join('\n')}\n`);
  return csv;
}

const title = hasTrainingData
  ? 'pettracker train on a tiny folder'
  : `pettracker train: SKIPPED, no pets-train or MobileNet at ${testdataDir} (set PETTRACKER_TESTDATA)`;

describe.skipIf(!hasTrainingData)(title, () => {
  let tmp: string;
  let options: (name: string) => TrainOptions;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pettracker-train-'));
    const csv = await tinyCsv(tmp);
    options = (name) => ({
      data: csv,
      base: mobilenetDir,
      out: path.join(tmp, name),
      name: 'tiny',
      cacheDir: path.join(tmp, `cache-${name}`),
      seed: 1,
      validationFraction: 0.25,
      views: ['center', 'flip', 'zoom80'],
      head: { ...DEFAULT_HEAD, epochs: 60 },
      quantize: 'always',
      backend: 'wasm',
    });
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('trains twice from empty caches to byte-identical weights and the same version', async () => {
    const first = await train(options('first'));
    const second = await train(options('second'));
    expect(second.version).toBe(first.version);
    const [a, b] = await Promise.all(
      [first.dir, second.dir].map((dir) => readFile(path.join(dir, 'weights.bin'))),
    );
    expect(a?.equals(b as Buffer)).toBe(true);
    expect(await readFile(path.join(second.dir, 'model.json'), 'utf8')).toBe(
      await readFile(path.join(first.dir, 'model.json'), 'utf8'),
    );
  }, 120_000);

  it('with --quantize auto, measures a float32 and a uint8 export on the validation photos and keeps uint8 only within the allowed drop', async () => {
    const summary = await train({
      ...options('auto'),
      quantize: 'auto',
      cacheDir: path.join(tmp, 'cache-first'),
    });
    const { float32, uint8 } = summary.report.exports as Record<
      string,
      { bytes: number; top1: number; photos: number }
    >;
    expect(float32?.photos).toBe(summary.report.photos);
    expect(uint8?.photos).toBe(summary.report.photos);
    expect(uint8?.bytes).toBeLessThan((float32?.bytes ?? 0) / 2);
    expect(summary.quantized).toBe((uint8?.top1 ?? 0) >= (float32?.top1 ?? 0) - MAX_UINT8_TOP1_DROP);
    // The trial folders are gone; the metadata keeps accuracy and size, not the run's timings.
    expect((await readdir(tmp)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const metadata = JSON.parse(await readFile(path.join(summary.dir, 'metadata.json'), 'utf8'));
    expect(Object.keys(metadata.provenance.exportsMeasured)).toEqual(['float32', 'uint8']);
    expect(metadata.provenance.exportsMeasured.uint8.p50Ms).toBeUndefined();
  }, 120_000);

  it('writes a folder the model port loads unchanged, with labels, species, calibration and provenance', async () => {
    const dir = path.join(tmp, 'first');
    const metadata = JSON.parse(await readFile(path.join(dir, 'metadata.json'), 'utf8'));
    expect(metadata).toMatchObject({
      name: 'tiny',
      labels: ['Abyssinian', 'Persian', 'Beagle', 'Pomeranian'],
      species: ['cat', 'cat', 'dog', 'dog'],
      untrained: false,
      provenance: {
        data: { labelsFrom: 'csv' },
        weights: 'uint8 (bulk kernels)',
        // Trained without --not-pets: no gate, and it says why.
        gate: 'none: no photos of other things given (--not-pets)',
        // The head measured on the split is refitted on all 15 photos for the export.
        settings: { refit: true },
        perLabel: expect.arrayContaining([expect.objectContaining({ label: 'Beagle', trainPhotos: 3 })]),
        calibration: { temperature: expect.any(Number), unsureBelow: { target: 0.95 } },
      },
    });
    expect(metadata.petGate).toBeUndefined();
    // Chosen on the validation photos, never 0 by accident.
    expect(metadata.unsureBelow).toBe(metadata.provenance.calibration.unsureBelow.level);
    expect(metadata.unsureBelow).toBeGreaterThan(0);
    expect(metadata.version).toMatch(/^sha256-[0-9a-f]{16}$/);
    const modelJson = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    const specs = modelJson.weightsManifest[0].weights as {
      name: string;
      quantization?: { dtype: string };
    }[];
    const dtype = (name: string) =>
      specs.find((spec) => spec.name === name)?.quantization?.dtype ?? 'float32';
    // The bulk convolution kernels are uint8; the first convolution, batch norms and the head stay float32.
    expect(['conv_pw_12/kernel', 'conv_pw_13/kernel'].map(dtype)).toEqual(['uint8', 'uint8']);
    // No gate, so no ImageNet classifier to feed it: the export leaves it out.
    expect(specs.some((spec) => spec.name.startsWith('conv_preds/'))).toBe(false);
    expect(['conv1/kernel', 'conv_pw_13_bn/gamma', 'breeds/kernel', 'breeds/bias'].map(dtype)).toEqual(
      Array(4).fill('float32'),
    );

    const model = await loadTfjsModel({ uri: dir, backend: 'wasm' });
    try {
      expect(model.info).toMatchObject({ version: metadata.version, untrained: false, format: 'layers' });
      const photo = await readFile(path.join(petsTrain, 'images', 'Persian_100.jpg'));
      const result = await classifyImage(model, photo, 4);
      expect(result.scores).toHaveLength(4);
      expect(result.species).toBe('cat');
      expect(result.pet).toBeUndefined(); // no gate: every photo is taken as a pet
    } finally {
      await model.dispose();
    }
  }, 60_000);

  it('names an unusable photo of other things and tunes the pet gate on the rest', async () => {
    const notPets = path.join(tmp, 'not-pets');
    await mkdir(notPets);
    // By name, every other one tunes: corrupt.jpg and the ambulance; the tench only reports.
    await writeFile(path.join(notPets, 'corrupt.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]));
    for (const name of ['n01440764_tench.jpg', 'n02701002_ambulance.jpg'])
      await symlink(path.join(testdataDir, 'not-pets', name), path.join(notPets, name));
    const skipped: Skipped[] = [];
    const summary = await train({
      ...options('gated'),
      cacheDir: path.join(tmp, 'cache-first'), // the pets' features are there already
      notPets,
      onSkip: (photo) => skipped.push(photo),
    });
    const corrupt = { file: path.join(notPets, 'corrupt.jpg'), code: 'CORRUPT_IMAGE' };
    expect(skipped).toEqual([expect.objectContaining(corrupt)]);
    expect(summary.report).toMatchObject({ usedPhotos: 15, skipped: [expect.objectContaining(corrupt)] });
    // Chosen on the 11 training-split pets and the ambulance; the 4 validation pets and the tench held out.
    expect(summary.report.gate).toMatchObject({
      pets: 11,
      others: 1,
      heldOut: { pets: 4, others: 1 },
      failures: { petsRefused: expect.any(Array), othersAccepted: expect.any(Array) },
    });
    const metadata = JSON.parse(await readFile(path.join(summary.dir, 'metadata.json'), 'utf8'));
    expect(metadata.petGate).toMatchObject({
      output: 1,
      threshold: (summary.report.gate as { threshold: number }).threshold,
    });
    expect(metadata.provenance.gateTuning).toMatchObject({ pets: 11, heldOut: { pets: 4, others: 1 } });
    expect(metadata.provenance.data.photos).toBe(15);
    expect(metadata.provenance.data.skippedPhotos).toBeUndefined(); // no training photo was skipped
  }, 120_000);

  it('fine-tunes the last pointwise convolution: the same bytes twice, the gate untouched, the export answering as measured', async () => {
    const notPets = path.join(tmp, 'not-pets-tuned');
    await mkdir(notPets);
    for (const name of ['n01440764_tench.jpg', 'n02701002_ambulance.jpg'])
      await symlink(path.join(testdataDir, 'not-pets', name), path.join(notPets, name));
    const fineTune = { rank: 4, epochs: 3, batchSize: 8, learningRate: 0.003, decay: 0, headRate: 1 };
    const run = (name: string, tuned: boolean) =>
      train({
        ...options(name),
        cacheDir: path.join(tmp, 'cache-tuned'),
        notPets,
        quantize: 'auto',
        ...(tuned ? { fineTune } : {}),
      });
    const first = await run('tuned-1', true);
    const second = await run('tuned-2', true);
    expect(second.version).toBe(first.version);
    const [a, b] = await Promise.all(
      [first.dir, second.dir].map((dir) => readFile(path.join(dir, 'weights.bin'))),
    );
    expect(a?.equals(b as Buffer)).toBe(true);

    // What training measured from the cached tail inputs is what the exported float32 model answers
    // through the model port, photo by photo.
    const exports = first.report.exports as Record<string, { top1: number; photos: number }>;
    expect(exports.float32).toMatchObject({ photos: first.report.photos, top1: first.report.top1 });
    const modelJson = JSON.parse(await readFile(path.join(first.dir, 'model.json'), 'utf8'));
    const names = (modelJson.weightsManifest[0].weights as { name: string }[]).map((w) => w.name);
    // The tuned copy feeds the breeds; the backbone's own conv_pw_13 still feeds the ImageNet gate.
    expect(names).toEqual(
      expect.arrayContaining([`${TUNED_CONV}/kernel`, 'conv_pw_13/kernel', 'conv_preds/kernel']),
    );
    const metadata = JSON.parse(await readFile(path.join(first.dir, 'metadata.json'), 'utf8'));
    expect(metadata.provenance.settings.fineTune).toEqual(fineTune);

    // The gate reads the untouched branch: the same threshold and held-out figures as the head alone.
    const headOnly = await run('tuned-head-only', false);
    expect(first.report.gate).toEqual(headOnly.report.gate);
    expect(first.version).not.toBe(headOnly.version);
  }, 240_000);

  it('stops on request (Ctrl-C) and keeps the features it computed in the cache', async () => {
    const cacheDir = path.join(tmp, 'cache-interrupted');
    let seen = 0;
    const interrupted = train({
      ...options('interrupted'),
      cacheDir,
      onEmbedProgress: () => {
        seen++;
      },
      stopRequested: () => seen >= 3,
    });
    await expect(interrupted).rejects.toBeInstanceOf(EmbeddingInterrupted);
    const versions = await readdir(cacheDir);
    expect(versions).toHaveLength(1);
    const centre = await readdir(path.join(cacheDir, versions[0] as string, 'center'), { recursive: true });
    expect(centre.filter((name) => name.endsWith('.f32')).length).toBeGreaterThanOrEqual(1);
    expect(existsSync(path.join(tmp, 'interrupted'))).toBe(false);
  }, 60_000);
});
