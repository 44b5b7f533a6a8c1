import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalReport } from '../../../cli/eval/report.js';
import { findLabelsCsv, labelImages, truthFromName } from '../../../cli/eval/truth-labels.js';
import { browserTestsEnabled, launchChromium } from '../../support/chromium.js';
import { hasTestdata, mobilenetDir, mobilenetExport, petsDir, testdataDir } from '../../support/fixtures.js';
import { runCli, UNPRIVILEGED } from '../../support/run-cli.js';
import { NOT_UTF8_SHOWN, UNUSABLE, writeMixedFolder } from '../../support/unusable-photos.js';

// Three cats and three dogs; Abyssinian and havanese are no ImageNet class, the other four are.
const PETS = [
  'Abyssinian_12.jpg',
  'Persian_14.jpg',
  'Siamese_17.jpg',
  'beagle_10.jpg',
  'pug_16.jpg',
  'havanese_14.jpg',
];
const NOT_PETS = ['n01440764_tench.jpg', 'n02701002_ambulance.jpg', 'n03100240_convertible.jpg'];
const PLOTS = ['reliability', 'latency'];

let tmp: string;
let pets: string;
let notPets: string;

/** The photos stay where they are: the folders hold symlinks, so nothing is copied. */
async function linkFolder(dir: string, from: string, names: string[]) {
  await mkdir(dir, { recursive: true });
  for (const name of names) await symlink(path.join(from, name), path.join(dir, name));
}

async function readReport(out: string) {
  const report = JSON.parse(await readFile(path.join(out, 'eval.json'), 'utf8')) as EvalReport;
  const html = await readFile(path.join(out, 'eval.html'), 'utf8');
  return { report, html };
}

const title = hasTestdata
  ? 'pettracker eval on real photos'
  : `pettracker eval on real photos: SKIPPED, no test data at ${testdataDir} (set PETTRACKER_TESTDATA)`;

describe.skipIf(!hasTestdata)(title, () => {
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pettracker-eval-'));
    pets = path.join(tmp, 'pets');
    notPets = path.join(tmp, 'not-pets');
    await linkFolder(pets, petsDir, PETS);
    await linkFolder(notPets, path.join(testdataDir, 'not-pets'), NOT_PETS);
    // Not an image: the API refuses it with a code, and so does eval, without stopping.
    await writeFile(path.join(pets, 'broken_1.jpg'), 'this is not a JPEG');
  });
  const brokenLine = () =>
    `skipped ${path.join(pets, 'broken_1.jpg')}: not a JPEG, PNG or WebP image (UNSUPPORTED_MEDIA_TYPE)\n`;
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('evaluates the configured model (the placeholder) with labels from Oxford names, and its variants', async () => {
    const out = path.join(tmp, 'placeholder');
    const args = ['eval', pets, '--out', out, '--not-pets', notPets, '--variants'];
    const run = await runCli(args, { DATA_DIR: tmp });
    expect(run.stderr).toBe(brokenLine());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^model pettracker-placeholder placeholder-1 \(\w+\) \(untrained placeholder\)/,
    );
    expect(run.stdout).toContain(`wrote ${path.join(out, 'eval.html')}`);
    expect(run.stdout).toContain('photos 6 evaluated, 6 of breeds the model knows, 1 unreadable');
    expect(run.stdout).toMatch(
      /^downscaled to 96 px on the long side: top-1 .* points on the same photos \(McNemar p /m,
    );

    const { report, html } = await readReport(out);
    expect(report.labels.from).toEqual({ csv: 0, folder: 0, name: 7, none: 0 }); // broken_1.jpg too
    expect(report.images).toEqual({
      found: 7,
      evaluated: 6,
      failed: 1,
      unlabelled: 0,
      scored: 6,
      breedNotInModel: 0,
    });
    expect(report.failures).toEqual([
      expect.objectContaining({ name: 'broken_1.jpg', code: 'UNSUPPORTED_MEDIA_TYPE' }),
    ]);
    expect(report.model).toMatchObject({ name: 'pettracker-placeholder', labelCount: 37, untrained: true });
    expect(report.top1.n).toBe(6);
    expect(report.top1.high).toBeGreaterThan(report.top1.low ?? 1);
    expect(report.top3.n).toBe(6);
    expect(report.top5.n).toBe(6);
    expect(report.top5.correct).toBeGreaterThanOrEqual(report.top3.correct);
    expect(report.top3.correct).toBeGreaterThanOrEqual(report.top1.correct);
    expect(report.species.n).toBe(6);
    // One spelling: the model's labels, not the file names' beagle and havanese.
    expect(report.perBreed.map((b) => [b.breed, b.species, b.n, b.groups])).toEqual([
      ['Abyssinian', 'cat', 1, ['cats']],
      ['Beagle', 'dog', 1, ['dogs', 'imagenet-mapped']],
      ['Havanese', 'dog', 1, ['dogs']],
      ['Persian', 'cat', 1, ['cats', 'imagenet-mapped']],
      ['Pug', 'dog', 1, ['dogs', 'imagenet-mapped']],
      ['Siamese', 'cat', 1, ['cats', 'imagenet-mapped']],
    ]);
    expect(report.perBreed.find((b) => b.breed === 'Havanese')?.targets).toEqual(['Havanese']);
    expect(report.groups.map((g) => [g.id, g.n])).toEqual([
      ['cats', 3],
      ['dogs', 3],
      ['imagenet-mapped', 4],
    ]);
    expect(report.calibration.bins.reduce((sum, b) => sum + b.n, 0)).toBe(6);
    expect(report.calibration.ece).toBeGreaterThanOrEqual(0);
    expect(report.latencyMs).toMatchObject({ n: 9, backend: report.model.backend });
    expect(report.latencyMs.p50).toBeGreaterThan(0);
    expect(report.predictions).toHaveLength(6);
    for (const p of report.predictions) expect(p.top5).toHaveLength(5);
    // Every placeholder label is a cat or dog breed: each non-pet gets a breed, and is listed.
    expect(report.notPet).toMatchObject({
      method: 'top1-species',
      nonPets: { n: 3, wronglyAccepted: 3, rate: 1 },
      pets: { n: 6, wronglyRefused: 0 },
    });
    expect(report.notPet?.answers.map((a) => [a.name, a.file, a.top5.length])).toEqual(
      NOT_PETS.map((name) => [name, path.join(notPets, name), 5]),
    );
    expect(report.notPet?.acceptedNonPets.map((a) => a.name)).toEqual(NOT_PETS);
    expect(report.refusedPets).toEqual([]);
    // Each variant of the six readable photos, every answer kept.
    expect(report.variants?.map((v) => [v.id, v.evaluated, v.answers.length, v.paired.n])).toEqual([
      ['downscaled-96', 6, 6, 6],
      ['greyscale', 6, 6, 6],
      ['jpeg-q20', 6, 6, 6],
    ]);
    for (const id of PLOTS) expect(html).toContain(`<svg id="${id}"`);
    for (const id of ['groups', 'per-breed', 'confused-pairs', 'species', 'not-pet-rates', 'variants']) {
      expect(html).toContain(`<table id="${id}">`);
    }
  });

  it.runIf(browserTestsEnabled())(
    'eval.html renders from disk in Chromium: every plot drawn, nothing fetched',
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on('console', (m) => problems.push(`${m.type()}: ${m.text()}`));
        page.on('request', (r) => {
          if (!r.url().startsWith('file://')) problems.push(`request ${r.url()}`);
        });
        await page.goto(`file://${path.join(tmp, 'placeholder', 'eval.html')}`);
        for (const id of PLOTS) {
          const box = await page.locator(`svg#${id}`).boundingBox();
          expect(box?.width, id).toBeGreaterThan(100);
          expect(await page.locator(`svg#${id} rect`).count(), id).toBeGreaterThan(0);
        }
        expect(await page.locator('#confused-pairs tbody tr').count()).toBeGreaterThan(0);
        expect(await page.locator('#per-breed tbody tr').count()).toBe(6);
        expect(await page.locator('#variants tbody tr').count()).toBe(4);
        // The non-pets' thumbnails are the photos where they are: the report copies none.
        const thumbs = page.locator('#accepted-non-pets img.thumb');
        expect(await thumbs.count()).toBe(3);
        for (const thumb of await thumbs.all()) {
          await thumb.scrollIntoViewIfNeeded();
          expect(
            await thumb.evaluate((img) => {
              const loaded = img as unknown as { decode(): Promise<void>; naturalWidth: number };
              return loaded.decode().then(() => loaded.naturalWidth);
            }),
          ).toBeGreaterThan(0);
        }
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  it("evaluates MobileNet, with the test data's labels.csv as the map from breeds to ImageNet classes", async () => {
    const labels = JSON.parse(
      await readFile(path.join(mobilenetDir, 'imagenet_classes.json'), 'utf8'),
    ) as string[];
    const modelDir = await mobilenetExport({
      name: 'mobilenet',
      labels,
      species: labels.map((_, i) => (i >= 151 && i <= 268 ? 'dog' : i >= 281 && i <= 285 ? 'cat' : null)),
      inputSize: [224, 224],
      normalization: { scale: 2, offset: -1 },
      output: 'probabilities',
    });
    const out = path.join(tmp, 'mobilenet');
    try {
      const labelMap = path.join(petsDir, 'labels.csv');
      const args = [
        'eval',
        pets,
        '--model',
        modelDir,
        '--label-map',
        labelMap,
        '--out',
        out,
        '--not-pets',
        notPets,
      ];
      const run = await runCli(args, { DATA_DIR: tmp });
      expect(run.stderr).toBe(brokenLine());
      expect(run.code).toBe(0);
      const { report } = await readReport(out);
      expect(report.model).toMatchObject({ name: 'mobilenet', labelCount: 1000 });
      expect(report.images).toMatchObject({ evaluated: 6, scored: 4, breedNotInModel: 2 });
      expect(report.perBreed.find((b) => b.breed === 'Persian')?.targets).toEqual(['Persian cat']);
      expect(report.perBreed.find((b) => b.breed === 'Havanese')?.targets).toEqual([]);
      // Floors from test/shared/adapters/model/mobilenet-accuracy.integration.test.ts (21/25 breeds, 35/37 species), scaled down.
      expect(report.top1.correct).toBeGreaterThanOrEqual(3);
      expect(report.top5.correct).toBe(4);
      expect(report.species.correct).toBeGreaterThanOrEqual(5);
      expect(report.notPet).toMatchObject({ method: 'top1-species', nonPets: { n: 3 } });
      expect(report.notPet?.nonPets.wronglyAccepted).toBeLessThanOrEqual(1);
    } finally {
      await rm(modelDir, { recursive: true, force: true });
    }
  });

  it("reads the test data's labels.csv: 37 breeds, their species, and 25 ImageNet classes", async () => {
    const images = await labelImages(petsDir, findLabelsCsv(petsDir, undefined));
    expect(images).toHaveLength(37);
    expect(images.every((i) => i.from === 'csv' && i.breed && i.species)).toBe(true);
    expect(images.filter((i) => i.species === 'cat')).toHaveLength(12);
    expect(images.filter((i) => i.modelLabel !== undefined)).toHaveLength(25);
    expect(images.find((i) => i.name === 'Siamese_17.jpg')?.modelLabel).toBe('Siamese cat, Siamese');
    // The Oxford names say the same as the CSV.
    for (const image of images) {
      expect(truthFromName(image.name)).toMatchObject({ breed: image.breed, species: image.species });
    }
  });

  it('answers a usage error (exit 2) for a missing folder, and exit 1 for an empty one', async () => {
    const missing = await runCli(['eval', path.join(tmp, 'nope')], { DATA_DIR: tmp });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/is not a folder/);
    await mkdir(path.join(tmp, 'empty'));
    const empty = await runCli(['eval', path.join(tmp, 'empty'), '--out', path.join(tmp, 'e')], {
      DATA_DIR: tmp,
    });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/holds no \.jpg/);
  });
});

describe('pettracker eval on a folder with files it cannot use', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-eval-unusable-'));
    await chmod(dir, 0o777); // the run may be nobody's (UNPRIVILEGED): it writes its report here
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names each unusable photo and why on stderr, counts them, and evaluates the rest, a non-UTF-8 name included', async () => {
    const photos = path.join(dir, 'photos');
    await writeMixedFolder(photos, 2);
    const out = path.join(dir, 'report');

    const run = await runCli(['eval', photos, '--out', out], { DATA_DIR: dir }, 'node', UNPRIVILEGED);
    expect(run.code, run.stderr).toBe(0);
    const expected = Object.entries(UNUSABLE)
      .map(([name, code]) => [`Beagle/${name}`, code])
      .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1));
    const named = run.stderr
      .trim()
      .split('\n')
      .map((line) => /^skipped (.+): .+ \(([A-Z_]+)\)$/.exec(line)?.slice(1))
      .map((m) => m && [path.relative(photos, m[0] as string), m[1]]);
    expect(named).toEqual(expected);
    expect(run.stdout).toContain('photos 5 evaluated, 5 of breeds the model knows, 6 unreadable');

    const { report } = await readReport(out);
    expect(report.images).toMatchObject({ found: 11, evaluated: 5, failed: 6 });
    expect(report.failures.map((f) => [f.name, f.code])).toEqual(expected);
    expect(report.predictions.map((p) => p.name)).toContain(`Beagle/${NOT_UTF8_SHOWN}`);
    expect(report.predictions.find((p) => p.name === `Beagle/${NOT_UTF8_SHOWN}`)?.breed).toBe('Beagle');
  });
});
