import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ModelInfo, Preprocessing, Species } from '../../ports/model.js';
import { ModelLoadError } from './model-errors.js';

export const METADATA_FILE = 'metadata.json';

/** metadata.json's bytes as JSON; missing (undefined) or not JSON is a ModelLoadError naming `where`. */
export function metadataJson(bytes: Uint8Array | undefined, where: string): unknown {
  if (bytes === undefined)
    throw new ModelLoadError(`${where}: metadata.json is missing; it gives the labels and preprocessing.`);
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new ModelLoadError(`${where}: metadata.json is not JSON.`, { cause });
  }
}

export type OutputKind = 'probabilities' | 'logits' | 'auto';

/** What metadata.json tells about a model, whichever format it came in. */
export interface ModelDescription {
  name: string;
  /** Undefined when the metadata names no version: the loader then uses a content hash. */
  version: string | undefined;
  labels: string[];
  /** Per label, in label order; undefined when the metadata maps no label to a species. */
  species: (Species | null)[] | undefined;
  inputSize: [number, number];
  preprocessing: Preprocessing;
  output: OutputKind;
  untrained: boolean;
  /** A second model output scoring "this is a cat or a dog"; below the threshold, not a pet. */
  petGate: PetGate | undefined;
  /** A top confidence below this makes the answer "unsure". */
  unsureBelow: number | undefined;
}

export interface PetGate {
  /** Index of the model output holding the pet score (one number in [0, 1]). */
  output: number;
  threshold: number;
}

const speciesValue = z.enum(['dog', 'cat']).nullable();

// Our format is strict: a misspelt key is an error at start-up, not a silently ignored setting.
const ownSchema = z.strictObject({
  name: z.string().min(1),
  version: z.string().min(1).optional(),
  labels: z.array(z.string()).min(1),
  species: z.union([z.array(speciesValue), z.record(z.string(), speciesValue)]).optional(),
  inputSize: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  resize: z.enum(['center-crop', 'stretch']).default('center-crop'),
  normalization: z.strictObject({ scale: z.number(), offset: z.number() }),
  output: z.enum(['probabilities', 'logits', 'auto']).default('auto'),
  untrained: z.boolean().default(false),
  petGate: z
    .strictObject({
      output: z.number().int().min(1),
      threshold: z.number().min(0).max(1),
      // How the score is made and how the threshold was chosen: for people, not read by the loader.
      about: z.string().optional(),
    })
    .optional(),
  unsureBelow: z.number().min(0).max(1).optional(),
  // Where the model came from (training data, backbone, settings, measured accuracy): for people.
  provenance: z.record(z.string(), z.unknown()).optional(),
});

// Teachable Machine writes more keys (tmVersion, packageName, userMetadata...): accept and ignore them.
const teachableSchema = z.looseObject({
  tfjsVersion: z.string(),
  modelName: z.string().default('tm-my-image-model'),
  labels: z.array(z.string()).min(1),
  imageSize: z.number().int().positive(),
  grayscale: z.boolean().optional(),
});

function speciesList(labels: string[], species: z.infer<typeof ownSchema>['species'], where: string) {
  if (species === undefined) return undefined;
  if (Array.isArray(species)) {
    if (species.length !== labels.length) {
      throw new ModelLoadError(
        `${where}: species has ${species.length} entries for ${labels.length} labels.`,
      );
    }
    return species;
  }
  const unknown = Object.keys(species).filter((label) => !labels.includes(label));
  if (unknown.length > 0)
    throw new ModelLoadError(`${where}: species names unknown labels: ${unknown.join(', ')}.`);
  return labels.map((label) => species[label] ?? null);
}

function fail(where: string, error: z.ZodError): never {
  throw new ModelLoadError(`${where}: metadata.json is invalid (${z.prettifyError(error)}).`);
}

/** Reads our metadata.json format or a Teachable Machine export's metadata.json. */
export function parseModelMetadata(json: unknown, where: string): ModelDescription {
  const isTeachable =
    typeof json === 'object' && json !== null && 'tfjsVersion' in json && 'imageSize' in json;
  if (isTeachable) {
    const parsed = teachableSchema.safeParse(json);
    if (!parsed.success) fail(where, parsed.error);
    const tm = parsed.data;
    if (tm.grayscale === true)
      throw new ModelLoadError(`${where}: grayscale Teachable Machine models are not supported.`);
    // Teachable Machine's library crops the centre square, resizes it to imageSize and maps to [-1, 1].
    return {
      name: tm.modelName,
      version: undefined,
      labels: tm.labels,
      species: undefined,
      inputSize: [tm.imageSize, tm.imageSize],
      preprocessing: { resize: 'center-crop', scale: 2, offset: -1 },
      output: 'auto',
      untrained: false,
      petGate: undefined,
      unsureBelow: undefined,
    };
  }
  const parsed = ownSchema.safeParse(json);
  if (!parsed.success) fail(where, parsed.error);
  const own = parsed.data;
  return {
    name: own.name,
    version: own.version,
    labels: own.labels,
    species: speciesList(own.labels, own.species, where),
    inputSize: own.inputSize,
    preprocessing: { resize: own.resize, ...own.normalization },
    output: own.output,
    untrained: own.untrained,
    petGate: own.petGate && { output: own.petGate.output, threshold: own.petGate.threshold },
    unsureBelow: own.unsureBelow,
  };
}

/**
 * A short hash of the model's files, used as the version when the metadata has none: predictions are
 * cached by model version, so a replaced model must never answer from its predecessor's entries.
 */
export function contentVersion(files: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file.byteLength}:`); // length prefix: moving bytes between files changes the hash
    hash.update(file);
  }
  return `sha256-${hash.digest('hex').slice(0, 12)}`;
}

export function toModelInfo(
  description: ModelDescription,
  loaded: { format: ModelInfo['format']; backend: string; source: string; contentVersion: string },
): ModelInfo {
  return {
    name: description.name,
    version: description.version ?? loaded.contentVersion,
    format: loaded.format,
    labels: description.labels,
    species: description.species,
    inputSize: description.inputSize,
    preprocessing: description.preprocessing,
    untrained: description.untrained,
    backend: loaded.backend,
    source: loaded.source,
  };
}
