import { z } from 'zod';
import { ModelLoadError } from './model-errors.js';

const weightEntry = z.looseObject({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.string(),
  quantization: z.looseObject({ dtype: z.string() }).optional(),
});

// Weight paths come from a possibly remote model.json and become file names in the cache: no '..',
// no absolute paths, no backslashes, so a hostile manifest cannot write outside the cache folder.
const weightPath = z
  .string()
  .refine(
    (path) =>
      !path.includes('\\') && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    'must be a relative path without empty, . or .. segments',
  );

const modelJsonSchema = z.looseObject({
  format: z.string().optional(),
  modelTopology: z.unknown(),
  weightsManifest: z.array(
    z.looseObject({ paths: z.array(weightPath).min(1), weights: z.array(weightEntry) }),
  ),
});

export type ModelJson = z.infer<typeof modelJsonSchema>;
export type WeightGroup = ModelJson['weightsManifest'][number];

export function parseModelJson(bytes: Uint8Array, where: string): ModelJson {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new ModelLoadError(`${where}: model.json is not JSON.`, { cause });
  }
  const parsed = modelJsonSchema.safeParse(json);
  if (!parsed.success) {
    throw new ModelLoadError(`${where}: model.json is not a TF.js model (${z.prettifyError(parsed.error)}).`);
  }
  if (parsed.data.modelTopology == null)
    throw new ModelLoadError(`${where}: model.json has no modelTopology.`);
  return parsed.data;
}

/** Layers models carry a Keras config; graph models (tfjs-converter) a GraphDef with `node`s. */
export function modelFormat(model: ModelJson): 'layers' | 'graph' {
  if (model.format === 'graph-model') return 'graph';
  if (model.format === 'layers-model') return 'layers';
  const topology = model.modelTopology as Record<string, unknown>;
  return Array.isArray(topology.node) ? 'graph' : 'layers';
}

/** Every weight file, in manifest order: the keys a remote source must fetch. */
export function weightFilePaths(model: ModelJson): string[] {
  return model.weightsManifest.flatMap((group) => group.paths);
}

const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** Bytes the group's files hold together, or undefined where it cannot be known (string tensors). */
export function expectedGroupBytes(group: WeightGroup): number | undefined {
  let total = 0;
  for (const weight of group.weights) {
    // A quantised weight is stored in its quantisation dtype, whatever dtype it dequantises to.
    const bytes = BYTES_PER_ELEMENT[weight.quantization?.dtype ?? weight.dtype];
    if (bytes === undefined) return undefined;
    total += weight.shape.reduce((product, dim) => product * dim, 1) * bytes;
  }
  return total;
}

/**
 * Fails when the weight files do not hold what model.json describes (a truncated download, a wrong
 * shard): TF.js itself would only notice as garbage weights or an obscure offset error. A group split
 * into several shards is checked as a whole, since the converter's shard size is not recorded.
 */
export function checkWeightSizes(model: ModelJson, sizeOf: (path: string) => number, where: string): void {
  for (const group of model.weightsManifest) {
    const expected = expectedGroupBytes(group);
    if (expected === undefined) continue;
    const actual = group.paths.reduce((sum, path) => sum + sizeOf(path), 0);
    if (actual !== expected) {
      throw new ModelLoadError(
        `${where}: weight file${group.paths.length > 1 ? 's' : ''} ${group.paths.join(', ')} hold ${actual} bytes, ` +
          `but model.json's weightsManifest describes ${expected} (sum of shape x dtype size).`,
      );
    }
  }
}
