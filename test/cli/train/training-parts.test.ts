import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataset } from '../../../cli/train/dataset.js';
import { chooseThreshold, gateRates } from '../../../cli/train/gate.js';
import { classWeights, initialHead } from '../../../cli/train/head-init.js';
import { buildLabelSet, displayName, OXFORD_IMAGENET_MAP, readLabelMap } from '../../../cli/train/labels.js';
import { quantizeUint8 } from '../../../cli/train/quantize.js';
import { stratifiedSplit } from '../../../cli/train/split.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pettracker-training-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function touch(file: string) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '');
}

describe('labels of a training folder', () => {
  it('come from sub-folders, one label per folder', async () => {
    const root = path.join(tmp, 'folders');
    for (const file of ['Beagle/a.jpg', 'Beagle/b.png', 'Sphynx/c.webp', 'Sphynx/notes.txt'])
      await touch(path.join(root, file));
    const dataset = await readDataset(root);
    expect(dataset.labelSource).toBe('folders');
    expect(dataset.examples.map((e) => [path.basename(e.file as string), e.label])).toEqual([
      ['a.jpg', 'Beagle'],
      ['b.png', 'Beagle'],
      ['c.webp', 'Sphynx'],
    ]);
  });

  it('include a photo whose name is not UTF-8, as a path that opens it', async () => {
    const root = path.join(tmp, 'bytes');
    await mkdir(path.join(root, 'Beagle'), { recursive: true });
    const name = Buffer.from([0x63, 0xff, 0x2e, 0x6a, 0x70, 0x67]); // "c\xff.jpg"
    await writeFile(Buffer.concat([Buffer.from(path.join(root, 'Beagle/')), name]), 'the photo');
    const dataset = await readDataset(root);
    expect(dataset.examples.map((e) => e.label)).toEqual(['Beagle']);
    expect(await readFile(dataset.examples[0]?.file ?? '', 'utf8')).toBe('the photo');
  });

  it('come from Oxford-style names, capitalised breeds being cats', async () => {
    const root = path.join(tmp, 'oxford');
    for (const file of ['Maine_Coon_12.jpg', 'great_pyrenees_3.jpg', 'Maine_Coon_2.JPG'])
      await touch(path.join(root, file));
    const dataset = await readDataset(root);
    expect(dataset.labelSource).toBe('file-names');
    expect(dataset.examples.map((e) => [e.label, e.species])).toEqual([
      ['Maine_Coon', 'cat'],
      ['Maine_Coon', 'cat'],
      ['great_pyrenees', 'dog'],
    ]);
  });

  it('come from a CSV (file,breed,species) with quoted fields, paths under images/', async () => {
    const root = path.join(tmp, 'csv');
    await touch(path.join(root, 'images', 'x.jpg'));
    await writeFile(path.join(root, 'manifest.csv'), 'file,breed,species\r\nx.jpg,"Pug, black",dog\r\n');
    const dataset = await readDataset(root);
    expect(dataset.labelSource).toBe('csv');
    expect(dataset.examples).toEqual([
      { file: path.join(root, 'images', 'x.jpg'), label: 'Pug, black', species: 'dog' },
    ]);
  });

  it('become display names in a stable order (cats, then dogs), species from the Oxford map', async () => {
    const map = await readLabelMap(OXFORD_IMAGENET_MAP);
    const set = buildLabelSet(
      [
        { file: 'a', label: 'staffordshire_bull_terrier', species: null },
        { file: 'b', label: 'Russian_Blue', species: null },
        { file: 'c', label: 'beagle', species: null },
      ],
      map,
    );
    expect(set.labels).toEqual(['Russian Blue', 'Beagle', 'Staffordshire Bull Terrier']);
    expect(set.species).toEqual(['cat', 'dog', 'dog']);
    expect(set.baseClass).toEqual([undefined, 162, 179]);
    expect(displayName('german_shorthaired')).toBe('German Shorthaired');
  });

  it('map 25 Oxford breeds to ImageNet classes (22 dogs and 3 cats)', async () => {
    const map = await readLabelMap(OXFORD_IMAGENET_MAP);
    expect(map.size).toBe(37);
    const mapped = [...map.values()].filter((e) => e.baseClass !== undefined);
    expect(mapped.filter((e) => e.species === 'dog')).toHaveLength(22);
    expect(mapped.filter((e) => e.species === 'cat')).toHaveLength(3);
  });
});

describe('the stratified split', () => {
  const classes = [...Array(20).fill(0), ...Array(10).fill(1), 2, 2];
  const keys = classes.map((_, i) => `k${String(i).padStart(2, '0')}`);

  it('holds out the fraction of each class and keeps classes with too few photos whole', () => {
    const split = stratifiedSplit(classes, { fraction: 0.2, seed: 7, keys });
    const held = (c: number) => classes.filter((x, i) => x === c && split[i]).length;
    expect([held(0), held(1), held(2)]).toEqual([4, 2, 0]);
  });

  it('is the same for the same seed whatever the listing order, and differs for another seed', () => {
    const a = stratifiedSplit(classes, { fraction: 0.2, seed: 7, keys });
    const order = classes.map((_, i) => i).reverse();
    const reversed = stratifiedSplit(
      order.map((i) => classes[i] as number),
      { fraction: 0.2, seed: 7, keys: order.map((i) => keys[i] as string) },
    );
    expect(order.map((i, j) => [keys[i], reversed[j]]).sort()).toEqual(keys.map((k, i) => [k, a[i]]).sort());
    expect(stratifiedSplit(classes, { fraction: 0.2, seed: 8, keys })).not.toEqual(a);
  });
});

describe('the head', () => {
  it('starts anchored labels from the backbone classifier columns and others at zero', () => {
    const classifier = {
      classes: 3,
      kernel: Float32Array.from([1, 2, 3, 4, 5, 6]),
      bias: Float32Array.from([7, 8, 9]),
    };
    const init = initialHead(2, [2, undefined], classifier);
    expect([...init.kernel]).toEqual([3, 0, 6, 0]);
    expect([...init.bias]).toEqual([9, 0]);
    expect(init.anchored).toEqual([true, false]);
  });

  it('weighs rare classes up, with a mean weight of one per example', () => {
    const weights = classWeights([100, 4, 0], 0.5);
    expect((weights[1] ?? 0) / (weights[0] ?? 1)).toBeCloseTo(5, 5);
    expect(100 * (weights[0] ?? 0) + 4 * (weights[1] ?? 0)).toBeCloseTo(104, 3);
    expect(weights[2]).toBe(0);
  });
});

describe('uint8 quantisation', () => {
  it('writes TF.js quantisation entries that TF.js decodes to within half a step', () => {
    const values = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i) * 3 + 0.5);
    const specs = [
      { name: 'w', shape: [300], dtype: 'float32' as const },
      { name: 'n', shape: [2], dtype: 'int32' as const },
    ];
    const data = Buffer.concat([Buffer.from(values.buffer), Buffer.from(Int32Array.from([5, -6]).buffer)]);
    const quantized = quantizeUint8(specs, data);
    expect(quantized.data.byteLength).toBe(300 + 8);
    const spec = quantized.specs[0];
    expect(spec?.quantization?.dtype).toBe('uint8');
    const decoded = tf.io.decodeWeights(Uint8Array.from(quantized.data).buffer, quantized.specs);
    const w = decoded.w?.dataSync() ?? [];
    const step = spec?.quantization?.scale ?? 1;
    for (let i = 0; i < values.length; i++)
      expect(Math.abs((w[i] ?? 0) - (values[i] ?? 0))).toBeLessThanOrEqual(step / 2 + 1e-6);
    expect([...(decoded.n?.dataSync() ?? [])]).toEqual([5, -6]);
  });
});

describe('the pet gate threshold', () => {
  it('counts pets below and others at or above the threshold', () => {
    expect(gateRates([0.9, 0.2, 0.6], [0.1, 0.5, 0.05, 0.7], 0.5)).toEqual({
      threshold: 0.5,
      petsRefused: 1 / 3,
      othersAccepted: 2 / 4,
    });
  });

  it('keeps the most others out with at most 1 % of the pets refused; the lowest such threshold', () => {
    const pets = [...Array(98).fill(0.9), 0.2, 0.25];
    const others = [0.01, 0.05, 0.15, 0.3];
    // 0.16-0.20 refuse no pet and accept one other; 0.21-0.25 refuse 1 % of the pets and accept one
    // other too; from 0.26 on, 2 % of the pets are refused: 0.16 keeps three others in four out.
    expect(chooseThreshold(pets, others)).toEqual({ threshold: 0.16, petsRefused: 0, othersAccepted: 0.25 });
    // Allowed 2 %, it goes up to 0.31, where no other photo gets in.
    expect(chooseThreshold(pets, others, 0.02)).toEqual({
      threshold: 0.31,
      petsRefused: 0.02,
      othersAccepted: 0,
    });
  });
});
