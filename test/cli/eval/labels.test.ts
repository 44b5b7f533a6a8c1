import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breedName, labelMatcher, normalizeLabel, parseLabelMap } from '../../../cli/eval/label-match.js';
import {
  findLabelsCsv,
  LabelSourceError,
  labelImages,
  truthFromCsv,
  truthFromFolder,
  truthFromName,
} from '../../../cli/eval/truth-labels.js';
import { NOT_UTF8_SHOWN, writeNotUtf8Photo } from '../../support/unusable-photos.js';

describe('true labels', () => {
  it('reads Oxford names: capitalised is a cat, lower-case a dog, anything else unlabelled', () => {
    expect(truthFromName('/x/British_Shorthair_10.jpg')).toEqual({
      breed: 'British_Shorthair',
      species: 'cat',
      from: 'name',
    });
    expect(truthFromName('german_shorthaired_15.JPG')).toMatchObject({
      breed: 'german_shorthaired',
      species: 'dog',
    });
    expect(truthFromName('IMG_.jpg').from).toBe('none');
    expect(truthFromName('holiday.png').from).toBe('none');
  });

  it('reads folders: the parent is the breed, a cat/ or dog/ folder above it the species', () => {
    expect(truthFromFolder('dogs/Beagle/1.jpg')).toEqual({ breed: 'Beagle', species: 'dog', from: 'folder' });
    expect(truthFromFolder('Beagle/1.jpg')).toEqual({ breed: 'Beagle', species: undefined, from: 'folder' });
    expect(truthFromFolder('1.jpg')).toBeUndefined();
  });

  it('reads a CSV like the test data: breed, species and the ImageNet class as the model label', () => {
    const csv =
      'file,species,breed,imagenet_index,imagenet_class\nSiamese_17.jpg,cat,Siamese,284,"Siamese cat, Siamese"\nBombay_10.jpg,cat,Bombay,,\n';
    const truths = truthFromCsv(csv, 'labels.csv');
    expect(truths.get('Siamese_17.jpg')).toEqual({
      breed: 'Siamese',
      species: 'cat',
      modelLabel: 'Siamese cat, Siamese',
      from: 'csv',
    });
    expect(truths.get('Bombay_10.jpg')).toEqual({ breed: 'Bombay', species: 'cat', from: 'csv' });
  });

  it('refuses a CSV without a file or breed column, naming the columns it looks for', () => {
    expect(() => truthFromCsv('file,imagenet_index\na.jpg,3\n', 'not-pets.csv')).toThrow(LabelSourceError);
    expect(() => truthFromCsv('', 'empty.csv')).toThrow(/file column/);
  });

  describe('in a folder', () => {
    let root: string;
    beforeAll(async () => {
      root = await mkdtemp(path.join(os.tmpdir(), 'pettracker-eval-labels-'));
      await mkdir(path.join(root, 'cat', 'Bengal'), { recursive: true });
      await mkdir(path.join(root, '.hidden'));
      for (const name of [
        'cat/Bengal/a.jpg',
        'pug_3.jpeg',
        'Persian_1.PNG',
        'notes.txt',
        '.hidden/x.jpg',
        'x.webp',
      ]) {
        await writeFile(path.join(root, name), 'not read here');
      }
      // A link to a photo kept elsewhere counts; a link to a folder is not followed (no loops).
      await symlink(path.join(root, 'pug_3.jpeg'), path.join(root, 'boxer_4.jpg'));
      await symlink(root, path.join(root, 'loop'));
    });
    afterAll(() => rm(root, { recursive: true, force: true }));

    it('labels by folder, then by Oxford name; lists only images, sorted, skipping hidden ones', async () => {
      const images = await labelImages(root, undefined);
      expect(images.map((i) => [i.name, i.breed, i.species, i.from])).toEqual([
        ['Persian_1.PNG', 'Persian', 'cat', 'name'],
        ['boxer_4.jpg', 'boxer', 'dog', 'name'],
        ['cat/Bengal/a.jpg', 'Bengal', 'cat', 'folder'],
        ['pug_3.jpeg', 'pug', 'dog', 'name'],
        ['x.webp', undefined, undefined, 'none'],
      ]);
    });

    it('labels a photo whose name is not UTF-8 by its folder, with a path that opens it', async () => {
      const dir = path.join(root, 'dog', 'Beagle');
      await mkdir(dir, { recursive: true });
      await writeNotUtf8Photo(dir);
      try {
        const image = (await labelImages(root, undefined)).find((i) => i.name.startsWith('dog/'));
        expect(image).toMatchObject({
          name: `dog/Beagle/${NOT_UTF8_SHOWN}`,
          breed: 'Beagle',
          species: 'dog',
        });
        expect((await readFile(image?.file ?? '')).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      } finally {
        await rm(path.join(root, 'dog'), { recursive: true });
      }
    });

    it('with a CSV, uses only the CSV: by relative path, then by file name', async () => {
      const csv = path.join(root, 'labels.csv');
      await writeFile(csv, 'file,breed\ncat/Bengal/a.jpg,Ragdoll\nx.webp,Boxer\n');
      try {
        expect(findLabelsCsv(root, undefined)).toBe(csv);
        const images = await labelImages(root, csv);
        expect(images.map((i) => [i.name, i.breed, i.from])).toEqual([
          ['Persian_1.PNG', undefined, 'none'],
          ['boxer_4.jpg', undefined, 'none'],
          ['cat/Bengal/a.jpg', 'Ragdoll', 'csv'],
          ['pug_3.jpeg', undefined, 'none'],
          ['x.webp', 'Boxer', 'csv'],
        ]);
      } finally {
        await rm(csv);
      }
      expect(findLabelsCsv(root, undefined)).toBeUndefined();
    });
  });
});

describe('matching true breeds to model labels', () => {
  const imagenet = [
    'beagle',
    'pug, pug-dog',
    'Persian cat',
    'Siamese cat, Siamese',
    'cocker spaniel, English cocker spaniel, cocker',
  ];
  const oxford = ['British Shorthair', 'German Shorthaired', 'Pug'];

  it('matches names regardless of case, underscores and hyphens', () => {
    expect(normalizeLabel('German_Short-haired  ')).toBe('german short haired');
    const match = labelMatcher(oxford);
    expect(match({ breed: 'british_shorthair' })).toEqual(['British Shorthair']);
    expect(match({ breed: 'German_Shorthaired' })).toEqual(['German Shorthaired']);
    expect(match({ breed: 'Havanese' })).toEqual([]);
    expect(match({ breed: undefined })).toEqual([]);
  });

  it("matches one of an ImageNet label's comma-separated names, and the CSV's model label", () => {
    const match = labelMatcher(imagenet);
    expect(match({ breed: 'pug' })).toEqual(['pug, pug-dog']);
    expect(match({ breed: 'english_cocker_spaniel' })).toEqual([
      'cocker spaniel, English cocker spaniel, cocker',
    ]);
    expect(match({ breed: 'Persian' })).toEqual([]);
    expect(match({ breed: 'Persian', modelLabel: 'Persian cat' })).toEqual(['Persian cat']);
    expect(match({ breed: 'Persian', modelLabel: 'not a label' })).toEqual([]);
  });

  it("spells a true breed one way: the model's label that names it, else as training names labels", () => {
    expect(breedName('american_pit_bull_terrier', ['American Pit Bull Terrier'])).toBe(
      'American Pit Bull Terrier',
    );
    expect(breedName('great pyrenees', ['Great Pyrenees'])).toBe('Great Pyrenees');
    // An ImageNet label is another name for it, not its spelling.
    expect(breedName('Persian', ['Persian cat'])).toBe('Persian');
    expect(breedName('english_cocker_spaniel', [])).toBe('English Cocker Spaniel');
    expect(breedName('Beagle', [])).toBe('Beagle');
  });

  it('leaves a name two labels share unmatched instead of guessing', () => {
    expect(labelMatcher(['cocker, a', 'cocker, b'])({ breed: 'cocker' })).toEqual([]);
  });

  it('follows a label map first: JSON with names, indices or lists; CSV with a class or an index', () => {
    const json = parseLabelMap(
      '{"Persian": "Persian cat", "Siamese": [3, "Siamese cat, Siamese"], "pug": {"imagenet": [1]}}',
      'm.json',
    );
    const match = labelMatcher(imagenet, json);
    expect(match({ breed: 'persian' })).toEqual(['Persian cat']);
    expect(match({ breed: 'Siamese' })).toEqual(['Siamese cat, Siamese']);
    expect(match({ breed: 'pug' })).toEqual(['pug, pug-dog']);
    const csv = parseLabelMap('breed,imagenet_index,imagenet_class\nPersian,2,\nbeagle,,beagle\n', 'm.csv');
    expect(labelMatcher(imagenet, csv)({ breed: 'Persian' })).toEqual(['Persian cat']);
    expect(() => parseLabelMap('[1,2]', 'm.json')).toThrow(LabelSourceError);
    expect(() => parseLabelMap('{oops', 'm.json')).toThrow(/not valid JSON/);
    expect(() => parseLabelMap('a,b\n1,2\n', 'm.csv')).toThrow(/no mapping/);
  });
});
