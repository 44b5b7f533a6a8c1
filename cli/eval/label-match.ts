import { readFile } from 'node:fs/promises';
import { csvRecords } from '../csv.js';
import { displayName } from '../train/labels.js';
import { LabelSourceError, type Truth } from './truth-labels.js';

/** "German_Shorthaired", "german-shorthaired" and "german shorthaired" are one breed. */
export function normalizeLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

/**
 * The one spelling of a true breed in the report: the model's own label when it names the same breed
 * ("american_pit_bull_terrier" -> "American Pit Bull Terrier"), else the name training would give it.
 */
export function breedName(breed: string, targets: readonly string[]): string {
  const key = normalizeLabel(breed);
  return targets.find((t) => normalizeLabel(t) === key) ?? displayName(breed);
}

/** Truth breed (normalised) to the model labels, or label indices, that count as right for it. */
export type LabelMap = ReadonlyMap<string, readonly (string | number)[]>;

/**
 * Finds, for a true breed, the model labels that count as a right answer:
 * 1. the --label-map entry; 2. the model label the labels CSV names (model_label or imagenet_class);
 * 3. the label itself, or the same name normalised; 4. one of an ImageNet-style label's comma-separated
 * names ("pug" in "pug, pug-dog"), when only one label has it.
 * An empty list means the model has no label for that breed: it counts for species, not for breed accuracy.
 */
export function labelMatcher(modelLabels: readonly string[], labelMap?: LabelMap) {
  const known = new Set(modelLabels);
  const byName = new Map<string, string>();
  const bySynonym = new Map<string, string | null>();
  for (const label of modelLabels) {
    byName.set(normalizeLabel(label), label);
    for (const synonym of label.split(',').map(normalizeLabel)) {
      const seen = bySynonym.get(synonym);
      bySynonym.set(synonym, seen === undefined || seen === label ? label : null);
    }
  }
  const resolve = (entry: string | number) =>
    typeof entry === 'number' ? modelLabels[entry] : known.has(entry) ? entry : undefined;

  return (truth: Pick<Truth, 'breed' | 'modelLabel'>): string[] => {
    if (truth.breed === undefined) return [];
    const key = normalizeLabel(truth.breed);
    const mapped = (labelMap?.get(key) ?? []).map(resolve).filter((l): l is string => l !== undefined);
    if (mapped.length > 0) return [...new Set(mapped)];
    if (truth.modelLabel !== undefined && known.has(truth.modelLabel)) return [truth.modelLabel];
    const named = known.has(truth.breed) ? truth.breed : (byName.get(key) ?? bySynonym.get(key));
    return named ? [named] : [];
  };
}

/** Strings and integers in a JSON value, two levels deep: {"pug": "pug, pug-dog"}, [254], {"imagenet": [...]}. */
function entriesOf(value: unknown, depth = 0): (string | number)[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' && Number.isInteger(value)) return [value];
  if (depth >= 2 || value === null || typeof value !== 'object') return [];
  const inner = Array.isArray(value) ? value : Object.values(value);
  return inner.flatMap((v) => entriesOf(v, depth + 1));
}

/**
 * A mapping from true breeds to model labels: JSON ({"Persian": "Persian cat"}, or lists, or label
 * indices) or a CSV with a breed/label column and a model_label, imagenet_class or imagenet_index column.
 */
export function parseLabelMap(text: string, where: string): LabelMap {
  const map = new Map<string, (string | number)[]>();
  const add = (breed: string, entries: (string | number)[]) => {
    const key = normalizeLabel(breed);
    map.set(key, [...(map.get(key) ?? []), ...entries]);
  };
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new LabelSourceError(`${where}: not valid JSON (${(error as Error).message}).`);
    }
    if (Array.isArray(json) || json === null || typeof json !== 'object') {
      throw new LabelSourceError(`${where}: a JSON label map is an object from breed to model labels.`);
    }
    for (const [breed, value] of Object.entries(json)) add(breed, entriesOf(value));
    return map;
  }
  for (const row of csvRecords(text)) {
    const breed = row.breed || row.label;
    const target = row.model_label || row.imagenet_class;
    const index = row.imagenet_index ? Number(row.imagenet_index) : Number.NaN;
    if (!breed) continue;
    add(breed, [...(target ? [target] : []), ...(Number.isInteger(index) ? [index] : [])]);
  }
  if (map.size === 0) {
    throw new LabelSourceError(`${where}: no mapping found (a breed or label column and a model label).`);
  }
  return map;
}

export async function readLabelMap(file: string): Promise<LabelMap> {
  return parseLabelMap(await readFile(file, 'utf8'), file);
}
