import * as tf from '@tensorflow/tfjs';
import { ModelLoadError } from './model-errors.js';
import type { ModelFiles } from './model-files.js';
import { modelFormat, weightFilePaths } from './model-json.js';

/** A loaded TF.js model reduced to what a classifier needs, whichever of the two formats it is. */
export interface Network {
  format: 'layers' | 'graph';
  /** Declared input shape, e.g. [null, 224, 224, 3] (graph models say -1 for "any"). */
  inputShape: readonly (number | null)[];
  /** Synchronous, so callers can wrap it in tf.tidy; every output, in the model's order. */
  predict(input: tf.Tensor4D): tf.Tensor[];
  dispose(): void;
}

function ownArrayBuffer(bytes: Buffer): ArrayBuffer {
  // Node may hand out views into a shared pool: copy exactly this file's bytes.
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function outputList(output: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap): tf.Tensor[] {
  const list =
    output instanceof tf.Tensor ? [output] : Array.isArray(output) ? output : Object.values(output);
  if (list.length === 0) throw new Error('The model produced no output.');
  return list;
}

/** The artifacts TF.js builds a model from, out of files already in memory. */
export async function modelArtifacts(files: ModelFiles, where: string): Promise<tf.io.ModelArtifacts> {
  const weightData = weightFilePaths(files.modelJson).map((name) => {
    const bytes = files.weights.get(name);
    if (bytes === undefined) throw new ModelLoadError(`${where}: weight file ${name} is missing.`);
    return ownArrayBuffer(bytes);
  });
  // getModelArtifactsForJSON carries over format, signature and initializers of graph models too.
  return tf.io.getModelArtifactsForJSON(files.modelJson as unknown as tf.io.ModelJSON, async (manifest) => [
    manifest.flatMap((group) => group.weights),
    weightData,
  ]);
}

/**
 * Builds the model from files already in memory (tf.io.fromMemory): the same path for local folders
 * and downloads, and no dependency on tfjs-node's file:// handler.
 */
export async function loadNetwork(files: ModelFiles, where: string): Promise<Network> {
  const format = modelFormat(files.modelJson);
  const artifacts = await modelArtifacts(files, where);
  try {
    if (format === 'layers') {
      const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      return {
        format,
        inputShape: model.inputs[0]?.shape ?? [],
        predict: (input) => outputList(model.predict(input)),
        dispose: () => model.dispose(),
      };
    }
    const model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
    return {
      format,
      inputShape: model.inputs[0]?.shape ?? [],
      predict: (input) => outputList(model.predict(input)),
      dispose: () => model.dispose(),
    };
  } catch (cause) {
    throw new ModelLoadError(`${where}: TF.js could not build the ${format} model.`, { cause });
  }
}
