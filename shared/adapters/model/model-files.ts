import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelLoadError } from './model-errors.js';
import { checkWeightSizes, type ModelJson, parseModelJson, weightFilePaths } from './model-json.js';
import { METADATA_FILE, metadataJson } from './model-metadata.js';

/** A model folder read into memory: what TF.js needs plus the raw bytes for the content hash. */
export interface ModelFiles {
  modelJson: ModelJson;
  /** Parsed metadata.json, or undefined when the folder has none. */
  metadata: unknown;
  weights: Map<string, Buffer>;
  /** model.json, metadata.json (if any) and the weight files, in that order. */
  rawFiles: Buffer[];
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function readModelDir(dir: string): Promise<ModelFiles> {
  const modelJsonBytes = await readOptional(path.join(dir, 'model.json'));
  if (modelJsonBytes === undefined) throw new ModelLoadError(`${dir}: no model.json in this folder.`);
  const modelJson = parseModelJson(modelJsonBytes, dir);

  const metadataBytes = await readOptional(path.join(dir, METADATA_FILE));
  const metadata = metadataBytes === undefined ? undefined : metadataJson(metadataBytes, dir);

  const weights = new Map<string, Buffer>();
  for (const weightPath of weightFilePaths(modelJson)) {
    const bytes = await readOptional(path.join(dir, weightPath));
    if (bytes === undefined) throw new ModelLoadError(`${dir}: weight file ${weightPath} is missing.`);
    weights.set(weightPath, bytes);
  }
  checkWeightSizes(modelJson, (weightPath) => weights.get(weightPath)?.byteLength ?? 0, dir);

  const rawFiles = [modelJsonBytes, ...(metadataBytes ? [metadataBytes] : []), ...weights.values()];
  return { modelJson, metadata, weights, rawFiles };
}
