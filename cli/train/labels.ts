import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Species } from '../../shared/ports/model.js';
import { csvRecords } from '../csv.js';
import { shownPath } from '../image-files.js';
import type { Example } from './dataset.js';

/** The Oxford-IIIT Pet breeds with their ImageNet class where ImageNet has the breed. */
export const OXFORD_IMAGENET_MAP = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'oxford-imagenet.csv',
);

export interface LabelMapEntry {
  species: Species | null;
  /** Index of the same class in the backbone's own classifier, if it has one. */
  baseClass: number | undefined;
}

/** Keys are normalised label names (see labelKey), so "Great_Pyrenees" and "great pyrenees" match. */
export type LabelMap = Map<string, LabelMapEntry>;

export const labelKey = (label: string) =>
  label
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/** "american_pit_bull_terrier" -> "American Pit Bull Terrier": what users and the API see. */
export function displayName(label: string): string {
  return label
    .trim()
    .split(/[\s_]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** label,species,imagenet_index CSV (extra columns ignored). */
export async function readLabelMap(file: string): Promise<LabelMap> {
  const map: LabelMap = new Map();
  for (const row of csvRecords(await readFile(file, 'utf8'))) {
    if (!row.label) continue;
    const index = row.imagenet_index ?? row.base_class ?? '';
    const species = row.species === 'dog' || row.species === 'cat' ? row.species : null;
    map.set(labelKey(row.label), { species, baseClass: index === '' ? undefined : Number(index) });
  }
  return map;
}

export interface LabelSet {
  /** Display names, cats then dogs then others, alphabetical within each: stable across runs. */
  labels: string[];
  species: (Species | null)[];
  baseClass: (number | undefined)[];
  /** Index into labels, per example. */
  indexOf(example: Example): number;
}

export function buildLabelSet(examples: readonly Example[], map: LabelMap): LabelSet {
  const found = new Map<string, { name: string; species: Species | null }>();
  for (const example of examples) {
    const key = labelKey(example.label);
    const species = example.species ?? map.get(key)?.species ?? null;
    const known = found.get(key);
    if (known && known.species !== species && species !== null && known.species !== null) {
      throw new Error(
        `${shownPath(example.file)}: label ${example.label} is both ${known.species} and ${species}.`,
      );
    }
    found.set(key, { name: displayName(example.label), species: known?.species ?? species });
  }
  const rank = (s: Species | null) => (s === 'cat' ? 0 : s === 'dog' ? 1 : 2);
  const keys = [...found.keys()].sort((a, b) => {
    const [x, y] = [found.get(a), found.get(b)];
    return rank(x?.species ?? null) - rank(y?.species ?? null) || (a < b ? -1 : a > b ? 1 : 0);
  });
  const position = new Map(keys.map((key, i) => [key, i]));
  return {
    labels: keys.map((key) => found.get(key)?.name ?? key),
    species: keys.map((key) => found.get(key)?.species ?? null),
    baseClass: keys.map((key) => map.get(key)?.baseClass),
    indexOf: (example) => position.get(labelKey(example.label)) ?? -1,
  };
}
