import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Species } from '../../shared/ports/model.js';
import { csvRecords } from '../csv.js';
import { type FilePath, type ImageFile, listImages } from '../image-files.js';

/** One training photo: where it is and what it shows. */
export interface Example {
  file: FilePath;
  /** The label as the data names it (e.g. "american_pit_bull_terrier"). */
  label: string;
  species: Species | null;
}

export interface Dataset {
  /** How the labels were found, for the model's provenance. */
  labelSource: 'csv' | 'folders' | 'file-names';
  root: string;
  examples: Example[];
}

// Oxford-IIIT Pet names its files Breed_Name_12.jpg; cat breeds are capitalised, dog breeds are not.
const OXFORD_NAME = /^(.+?)_(\d+)\.(jpe?g|png|webp)$/i;

export class DatasetError extends Error {
  override name = 'DatasetError';
}

function speciesValue(value: string | undefined): Species | null {
  const lower = value?.trim().toLowerCase();
  return lower === 'dog' || lower === 'cat' ? lower : null;
}

const isA = (kind: 'isFile' | 'isDirectory', where: string) =>
  stat(where).then(
    (s) => s[kind](),
    () => false,
  );

/** file,breed[,species] (or label instead of breed); paths relative to the CSV's folder or its images/. */
async function fromCsv(csvPath: string): Promise<Dataset> {
  const rows = csvRecords(await readFile(csvPath, 'utf8'));
  const root = path.dirname(csvPath);
  const imagesDir = path.join(root, 'images');
  const hasImagesDir = await isA('isDirectory', imagesDir);
  const examples = rows.map((row, i): Example => {
    const file = row.file ?? row.path;
    const label = row.breed ?? row.label;
    if (!file || !label) throw new DatasetError(`${csvPath}: row ${i + 2} needs file and breed (or label).`);
    const dir = hasImagesDir && !file.includes('/') ? imagesDir : root;
    return { file: path.resolve(dir, file), label, species: speciesValue(row.species) };
  });
  return { labelSource: 'csv', root, examples };
}

/** label/photo.jpg: the photos one folder down (all there are), labelled by their folder. */
function fromFolders(root: string, images: ImageFile[]): Dataset {
  const examples = images.map(
    ({ path: file, name }): Example => ({ file, label: name.slice(0, name.indexOf('/')), species: null }),
  );
  return { labelSource: 'folders', root, examples };
}

function fromFileNames(root: string, images: ImageFile[]): Dataset {
  const examples = images.map(({ path: file, name }): Example => {
    const label = OXFORD_NAME.exec(name)?.[1];
    if (!label) throw new DatasetError(`${name}: not an Oxford-style name (Breed_Name_12.jpg).`);
    const first = label.charAt(0);
    return { file, label, species: first === first.toUpperCase() ? 'cat' : 'dog' };
  });
  return { labelSource: 'file-names', root, examples };
}

/**
 * Finds the labelled photos of a folder: a CSV (given, or manifest.csv/labels.csv in the folder) wins,
 * then one sub-folder per label, then Oxford-style file names.
 */
export async function readDataset(target: string, csv?: string): Promise<Dataset> {
  if (csv) return fromCsv(path.resolve(csv));
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new DatasetError(`${target}: no such folder.`);
  if (info.isFile()) return fromCsv(path.resolve(target));
  const root = path.resolve(target);
  for (const name of ['manifest.csv', 'labels.csv']) {
    if (await isA('isFile', path.join(root, name))) return fromCsv(path.join(root, name));
  }
  const images = await listImages(root, 1);
  const own = images.filter((image) => !image.name.includes('/'));
  const dataset = own.length > 0 ? fromFileNames(root, own) : fromFolders(root, images);
  if (dataset.examples.length === 0) throw new DatasetError(`${target}: no labelled images found.`);
  return dataset;
}
