import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type Backbone, requireTail } from './backbone.js';
import type { Head } from './head.js';
import { isBulkKernel, quantizeUint8, type WeightFile } from './quantize.js';
import { foldedKernel, type TunedTail } from './tail.js';

export const BREEDS_OUTPUT = 'breeds';
export const PET_OUTPUT = 'pet_score';
/** Keras MobileNet's first convolution, on raw pixels: kept float32 by the quantiser. */
const FIRST_CONV = 'conv1';
/** The fine-tuned copy of the backbone's last pointwise convolution. */
export const TUNED_CONV = 'tuned_conv_pw';

/**
 * One layers model: the backbone, the trained softmax head on its pooled features (first output) and,
 * when the backbone has its ImageNet classifier and pet classes are given, a second output: a fixed
 * 1000 -> 1 sum of the backbone's probabilities on those classes (the pet gate's score). Both come out
 * of one inference, so the gate costs nothing.
 */
export function buildServingModel(
  backbone: Backbone,
  head: Head,
  petClasses: readonly number[] | undefined,
  tail?: TunedTail,
) {
  const breeds = tf.layers
    .dense({
      units: head.classes,
      activation: 'softmax',
      name: BREEDS_OUTPUT,
      weights: [tf.tensor2d(head.kernel, [head.featureSize, head.classes]), tf.tensor1d(head.bias)],
    })
    .apply(tail ? tunedFeatures(backbone, tail) : backbone.pooled) as tf.SymbolicTensor;
  const outputs = [breeds];
  const imagenet = backbone.model.outputs[0];
  if (petClasses && backbone.classifier && imagenet) {
    const classes = backbone.classifier.classes;
    const indicator = new Float32Array(classes);
    for (const c of petClasses) indicator[c] = 1;
    const pet = tf.layers
      .dense({ units: 1, useBias: false, name: PET_OUTPUT, weights: [tf.tensor2d(indicator, [classes, 1])] })
      .apply(imagenet) as tf.SymbolicTensor;
    outputs.push(pet);
  }
  return tf.model({ inputs: backbone.model.inputs, outputs, name: 'pettracker_classifier' });
}

/**
 * A fine-tuned tail beside the backbone's own: the breeds read its pooled features, while the pet
 * gate keeps reading the ImageNet classifier over the untouched tail (so its threshold still holds).
 * One 1x1 convolution with the batch norm folded in, ReLU6, average pooling: what tailFeatures computes.
 */
function tunedFeatures(backbone: Backbone, tail: TunedTail): tf.SymbolicTensor {
  const conv = tf.layers
    .conv2d({
      filters: tail.features,
      kernelSize: 1,
      useBias: true,
      activation: 'relu6',
      name: TUNED_CONV,
      weights: [
        tf.tensor4d(foldedKernel(tail), [1, 1, tail.channels, tail.features]),
        tf.tensor1d(tail.shift),
      ],
    })
    .apply(requireTail(backbone).input) as tf.SymbolicTensor;
  return tf.layers.globalAveragePooling2d({ name: `${TUNED_CONV}_pool` }).apply(conv) as tf.SymbolicTensor;
}

/** The model's topology and weights as TF.js would save them, without touching the disk. */
export async function serialize(model: tf.LayersModel): Promise<{ topology: object; weights: WeightFile }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved?.weightSpecs || !saved.weightData || !saved.modelTopology)
    throw new Error('TF.js saved nothing.');
  const data = Array.isArray(saved.weightData)
    ? Buffer.concat(saved.weightData.map((b) => Buffer.from(b)))
    : Buffer.from(saved.weightData);
  return { topology: saved.modelTopology as object, weights: { specs: saved.weightSpecs, data } };
}

export interface WrittenModel {
  dir: string;
  /** sha256 of model.json and weights.bin: the model's version in its metadata. */
  version: string;
  bytes: number;
}

/** model.json + weights.bin (one shard), optionally uint8-quantised, then metadata.json from `metadata`. */
export async function writeModelDir(
  dir: string,
  exported: { topology: object; weights: WeightFile },
  options: { quantize: boolean; metadata: (version: string) => object },
): Promise<WrittenModel> {
  const weights = options.quantize
    ? quantizeUint8(exported.weights.specs, exported.weights.data, (spec) =>
        isBulkKernel(spec, [FIRST_CONV, BREEDS_OUTPUT]),
      )
    : exported.weights;
  const modelJson = Buffer.from(
    JSON.stringify({
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: 'pettracker train',
      modelTopology: exported.topology,
      weightsManifest: [{ paths: ['weights.bin'], weights: weights.specs }],
    }),
  );
  const hash = createHash('sha256').update(modelJson).update(weights.data).digest('hex');
  const version = `sha256-${hash.slice(0, 16)}`;
  const metadata = Buffer.from(`${JSON.stringify(options.metadata(version), null, 2)}\n`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'model.json'), modelJson);
  await writeFile(path.join(dir, 'weights.bin'), weights.data);
  await writeFile(path.join(dir, 'metadata.json'), metadata);
  return { dir, version, bytes: modelJson.length + weights.data.length + metadata.length };
}
