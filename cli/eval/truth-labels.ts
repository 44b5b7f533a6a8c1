import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Species } from '../../shared/ports/model.js';
import { csvRecords } from '../csv.js';
import { type FilePath, listImages } from '../image-files.js';

/** Where an image's true label came from. */
export type TruthSource = 'csv' | 'folder' | 'name' | 'none';

export interface Truth {
  /** The true breed as the source writes it ("Abyssinian", "german_shorthaired"); undefined when unknown. */
  breed: string | undefined;
  species: Species | undefined;
  /** A model label the source names for this image (CSV column model_label or imagenet_class). */
  modelLabel?: string;
  from: TruthSource;
}

export interface LabelledImage extends Truth {
  /** Absolute path. */
  file: FilePath;
  /** Relative to the evaluated folder, with forward slashes: what the report shows. */
  name: string;
}

export class LabelSourceError extends Error {
  readonly code = 'BAD_LABELS';
  override name = 'LabelSourceError';
}

const NO_TRUTH: Truth = { breed: undefined, species: undefined, from: 'none' };

export function parseSpecies(value: string | undefined): Species | undefined {
  const v = value?.trim().toLowerCase();
  if (v === 'cat' || v === 'cats') return 'cat';
  if (v === 'dog' || v === 'dogs') return 'dog';
  return undefined;
}

/**
 * Oxford-IIIT Pet names its files `Breed_Name_12.jpg`; by the data set's own convention cat breeds are
 * capitalised (Abyssinian_1) and dog breeds are not (beagle_10).
 */
export function truthFromName(fileName: string): Truth {
  const stem = path.basename(fileName, path.extname(fileName));
  const match = /^([A-Za-z][A-Za-z_-]*?)_\d+$/.exec(stem);
  if (!match?.[1]) return NO_TRUTH;
  const breed = match[1];
  return { breed, species: breed[0] === breed[0]?.toUpperCase() ? 'cat' : 'dog', from: 'name' };
}

/**
 * Teachable-Machine-style folders: the image's folder is its label (`Beagle/1.jpg`); a `cat/` or `dog/`
 * folder above it gives the species (`dog/Beagle/1.jpg`). Images directly in the root have none.
 */
export function truthFromFolder(relative: string): Truth | undefined {
  const parts = relative.split('/');
  const breed = parts.at(-2);
  if (breed === undefined) return undefined;
  return { breed, species: parseSpecies(parts.at(-3)), from: 'folder' };
}

const FILE_COLUMNS = ['file', 'filename', 'path', 'image'];
const BREED_COLUMNS = ['breed', 'label', 'class'];
const MODEL_LABEL_COLUMNS = ['model_label', 'imagenet_class'];

const pick = (row: Record<string, string>, names: string[]) =>
  names.map((n) => row[n]).find((v) => v !== undefined && v !== '');

/** A labels CSV (file + breed, optional species and model label) keyed by the file column. */
export function truthFromCsv(text: string, where: string): Map<string, Truth> {
  const rows = csvRecords(text);
  const first = rows[0];
  if (!first || !FILE_COLUMNS.some((c) => c in first) || !BREED_COLUMNS.some((c) => c in first)) {
    throw new LabelSourceError(
      `${where}: a labels CSV needs a header with a file column (${FILE_COLUMNS.join('/')}) and a breed column (${BREED_COLUMNS.join('/')}).`,
    );
  }
  const truths = new Map<string, Truth>();
  for (const row of rows) {
    const file = pick(row, FILE_COLUMNS);
    if (file === undefined) continue;
    const modelLabel = pick(row, MODEL_LABEL_COLUMNS);
    truths.set(file.replaceAll('\\', '/'), {
      breed: pick(row, BREED_COLUMNS),
      species: parseSpecies(row.species),
      ...(modelLabel === undefined ? {} : { modelLabel }),
      from: 'csv',
    });
  }
  return truths;
}

/** The CSV to use: the one given, else a labels.csv or manifest.csv in the folder (as the test data has). */
export function findLabelsCsv(root: string, given: string | undefined): string | undefined {
  if (given !== undefined) return path.resolve(given);
  return ['labels.csv', 'manifest.csv'].map((n) => path.join(root, n)).find((f) => existsSync(f));
}

/**
 * Each image's truth: its CSV row (by relative path, then by file name) when there is a CSV; else its
 * folder, else its Oxford-style file name. An unlabelled image is kept with from 'none', counted apart.
 */
export async function labelImages(root: string, csvFile: string | undefined): Promise<LabelledImage[]> {
  const csv = csvFile ? truthFromCsv(await readFile(csvFile, 'utf8'), csvFile) : undefined;
  const files = await listImages(root);
  return files.map(({ path: file, name }) => {
    const base = path.posix.basename(name);
    // With a CSV, a photo it does not list is unlabelled: its folder (images/ in pets-train) is no breed.
    const truth = csv
      ? (csv.get(name) ?? csv.get(base) ?? NO_TRUTH)
      : (truthFromFolder(name) ?? truthFromName(base));
    return { file, name, ...truth };
  });
}
