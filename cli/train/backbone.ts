import * as tf from '@tensorflow/tfjs';
import { readModelDir } from '../../shared/adapters/model/model-files.js';
import { contentVersion, parseModelMetadata } from '../../shared/adapters/model/model-metadata.js';
import { modelArtifacts } from '../../shared/adapters/model/tfjs-network.js';
import type { Preprocessing } from '../../shared/ports/model.js';

/** The backbone's own classifier (MobileNet's ImageNet conv_preds): kernel [features][classes], bias. */
export interface BaseClassifier {
  kernel: Float32Array;
  bias: Float32Array;
  classes: number;
}

export interface Backbone {
  dir: string;
  /** Content hash of the backbone's files: part of every embedding's cache key. */
  version: string;
  inputSize: [number, number];
  preprocessing: Preprocessing;
  /** The whole base model, as loaded (kept whole so that the export can extend it). */
  model: tf.LayersModel;
  /** Input -> pooled features (the layer before the classifier). */
  features: tf.LayersModel;
  /** Symbolic pooled-feature tensor inside `model`, where the new head attaches. */
  pooled: tf.SymbolicTensor;
  featureSize: number;
  /** Present when the base ends in a classifier over its features (ImageNet for MobileNet). */
  classifier: BaseClassifier | undefined;
}

// Keras MobileNet's preprocess_input (x / 127.5 - 1) on a 224 centre crop: what serving does for it.
const MOBILENET_PREPROCESSING: Preprocessing = { resize: 'center-crop', scale: 2, offset: -1 };

function pooledLayer(model: tf.LayersModel): { layer: tf.layers.Layer; index: number } {
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const layer = model.layers[i] as tf.layers.Layer;
    if (layer.getClassName() === 'GlobalAveragePooling2D') return { layer, index: i };
  }
  throw new Error(
    'The base model has no GlobalAveragePooling2D layer at its top level: cannot find its pooled features.',
  );
}

/** The first layer after the pooling with a kernel (Conv2D 1x1 or Dense): the base's own classifier. */
function baseClassifier(
  model: tf.LayersModel,
  after: number,
  featureSize: number,
): BaseClassifier | undefined {
  for (const layer of model.layers.slice(after + 1)) {
    const name = layer.getClassName();
    if (name !== 'Conv2D' && name !== 'Dense') continue;
    const [kernel, bias] = layer.getWeights();
    if (!kernel || !bias) return undefined;
    const classes = kernel.shape[kernel.shape.length - 1] ?? 0;
    if (kernel.size !== featureSize * classes) return undefined;
    return { kernel: kernel.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array, classes };
  }
  return undefined;
}

/** Loads a layers model (MobileNet, a Teachable Machine export...) and finds its pooled features. */
export async function loadBackbone(dir: string): Promise<Backbone> {
  const files = await readModelDir(dir);
  const model = await tf.loadLayersModel(tf.io.fromMemory(await modelArtifacts(files, dir)));
  const { layer, index } = pooledLayer(model);
  const pooled = layer.output as tf.SymbolicTensor;
  const featureSize = pooled.shape[pooled.shape.length - 1] ?? 0;
  const features = tf.model({ inputs: model.inputs, outputs: pooled });
  const [, height, width] = model.inputs[0]?.shape ?? [];
  const description = files.metadata === undefined ? undefined : parseModelMetadata(files.metadata, dir);
  return {
    dir,
    version: contentVersion(files.rawFiles),
    inputSize: description?.inputSize ?? [height ?? 224, width ?? 224],
    preprocessing: description?.preprocessing ?? MOBILENET_PREPROCESSING,
    model,
    features,
    pooled,
    featureSize,
    classifier: baseClassifier(model, index, featureSize),
  };
}

/** Pooled features of a batch of preprocessed inputs (height * width * 3 floats each). */
export async function embedBatch(backbone: Backbone, inputs: Float32Array[]): Promise<Float32Array[]> {
  const [height, width] = backbone.inputSize;
  const batch = new Float32Array(inputs.length * height * width * 3);
  for (const [i, input] of inputs.entries()) batch.set(input, i * height * width * 3);
  const output = tf.tidy(
    () => backbone.features.predict(tf.tensor4d(batch, [inputs.length, height, width, 3])) as tf.Tensor,
  );
  try {
    const flat = (await output.data()) as Float32Array;
    const size = backbone.featureSize;
    return inputs.map((_, i) => flat.slice(i * size, (i + 1) * size));
  } finally {
    output.dispose();
  }
}
