import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyImage } from '../../../../shared/adapters/model/image-preprocess.js';
import { mobilenetDescription } from '../../../../shared/adapters/model/mobilenet-preset.js';
import type { DownloadProgress } from '../../../../shared/adapters/model/model-download.js';
import { loadTfjsModel, type TfjsModel } from '../../../../shared/adapters/model/tfjs-model.js';
import {
  hasTestdata,
  mobilenetDir,
  mobilenetExport,
  mobilenetTeachableMetadata,
  petsDir,
  serveFiles,
  startLoopbackServer,
  testdataDir,
} from '../../../support/fixtures.js';

interface Pet {
  file: string;
  species: 'dog' | 'cat';
  imagenetIndex: number | undefined;
}

async function readPets(): Promise<Pet[]> {
  // labels.csv quotes class names containing commas; the first five columns never do.
  const lines = (await readFile(path.join(petsDir, 'labels.csv'), 'utf8')).trim().split('\n').slice(1);
  return lines.map((line) => {
    const [file, species, , , index] = line.split(',');
    return {
      file: file as string,
      species: species as Pet['species'],
      imagenetIndex: index ? Number(index) : undefined,
    };
  });
}

const speciesOf = (index: number) =>
  index >= 151 && index <= 268 ? 'dog' : index >= 281 && index <= 285 ? 'cat' : null;

async function score(model: TfjsModel, labels: string[], pets: Pet[]) {
  let breeds = 0;
  let species = 0;
  const misses: string[] = [];
  for (const pet of pets) {
    const [top] = (await classifyImage(model, await readFile(path.join(petsDir, pet.file)), 1)).scores;
    const index = labels.indexOf(top?.label ?? '');
    if (speciesOf(index) === pet.species) species++;
    else misses.push(`${pet.file}: ${top?.label}`);
    if (pet.imagenetIndex !== undefined && index === pet.imagenetIndex) breeds++;
  }
  return { breeds, species, misses };
}

const title = hasTestdata
  ? `MobileNet on the 37 test pets (test data at ${testdataDir})`
  : `MobileNet accuracy: SKIPPED, no test data at ${testdataDir} (set PETTRACKER_TESTDATA to its folder)`;

describe.skipIf(!hasTestdata)(title, () => {
  let labels: string[];
  let pets: Pet[];
  const models: TfjsModel[] = [];

  beforeAll(async () => {
    labels = JSON.parse(await readFile(path.join(mobilenetDir, 'imagenet_classes.json'), 'utf8'));
    pets = await readPets();
    // Top-1 labels are mapped back to indices by name: the pet range must not contain duplicates.
    const petLabels = labels.filter((_, i) => speciesOf(i) !== null);
    expect(new Set(petLabels).size).toBe(petLabels.length);
  });
  afterAll(async () => {
    for (const model of models) await model.dispose();
  });

  it('as a Teachable Machine export (centre crop): >= 21/25 breeds and >= 35/37 species', async () => {
    const uri = await mobilenetExport(await mobilenetTeachableMetadata());
    const model = await loadTfjsModel({ uri });
    models.push(model);
    const result = await score(model, labels, pets);
    console.log(
      `MobileNet centre crop on ${model.info.backend}: breed top-1 ${result.breeds}/25, species ${result.species}/37`,
      result.misses,
    );
    expect(pets.filter((p) => p.imagenetIndex !== undefined)).toHaveLength(25);
    expect(result.breeds).toBeGreaterThanOrEqual(21);
    expect(result.species).toBeGreaterThanOrEqual(35);
  });

  it('stretched instead of cropped: still a working classifier, counts printed for comparison', async () => {
    const uri = await mobilenetExport({
      name: 'mobilenet-stretch',
      labels,
      inputSize: [224, 224],
      resize: 'stretch',
      normalization: { scale: 2, offset: -1 },
      output: 'probabilities',
    });
    const model = await loadTfjsModel({ uri });
    models.push(model);
    const result = await score(model, labels, pets);
    console.log(
      `MobileNet stretch: breed top-1 ${result.breeds}/25, species ${result.species}/37`,
      result.misses,
    );
    expect(result.breeds).toBeGreaterThanOrEqual(19);
    expect(result.species).toBeGreaterThanOrEqual(33);
  });

  it("the 'mobilenet' preset downloads (here from a loopback mirror) and answers with species", async () => {
    const names = (await readdir(mobilenetDir)).filter((name) => name !== 'imagenet_classes.json');
    const served = Object.fromEntries(
      await Promise.all(
        names.map(async (name) => [name, await readFile(path.join(mobilenetDir, name))] as const),
      ),
    );
    const server = await startLoopbackServer(serveFiles('/tfjs/mobilenet_v1_0.75_224/', served));
    try {
      const progress: DownloadProgress[] = [];
      const model = await loadTfjsModel({
        uri: 'mobilenet',
        mobilenetUrl: `${server.url}/tfjs/mobilenet_v1_0.75_224/model.json`,
        cacheDir: await mkdtemp(path.join(os.tmpdir(), 'pettracker-cache-')),
        onProgress: (p) => progress.push(p),
      });
      models.push(model);
      const weightBytes = names
        .filter((n) => n !== 'model.json')
        .reduce((sum, n) => sum + (served[n]?.byteLength ?? 0), 0);
      expect(progress.at(-1)).toMatchObject({ bytesDone: weightBytes, bytesTotal: weightBytes });
      expect(model.info).toMatchObject({
        name: 'mobilenet_v1_0.75_224',
        version: 'tfjs-mobilenet-v1-0.75-224',
      });
      const [top] = (await classifyImage(model, await readFile(path.join(petsDir, 'pug_16.jpg')), 3)).scores;
      expect(top).toMatchObject({ label: 'pug, pug-dog', species: 'dog' });
    } finally {
      await server.close();
    }
  });

  it("the 'mobilenet' preset's labels (from @tensorflow-models/mobilenet) are the test data's list", async () => {
    const preset = await mobilenetDescription();
    expect(preset.labels).toEqual(labels);
  });
});
