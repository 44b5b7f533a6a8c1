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

/**
 * The backbone's last pointwise convolution (a 1x1 Conv2D without bias), its batch norm and its ReLU6,
 * just under the pooling: the part `pettracker train --fine-tune` unfreezes. Its input (the depthwise
 * half of the last block, 7x7x768 for MobileNet v1 0.75) is what the embedding cache keeps for it.
 */
export interface Tail {
  input: tf.SymbolicTensor;
  conv: tf.layers.Layer;
  norm: tf.layers.Layer;
  /** Spatial positions (height * width) and channels of the input; channels out = featureSize. */
  positions: number;
  channels: number;
  /** The norm's epsilon (Keras MobileNet: 0.001). */
  epsilon: number;
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
  /** Present when the pooling reads conv 1x1 -> batch norm -> ReLU6 (MobileNet): what fine-tuning trains. */
  tail: Tail | undefined;
  /** Input -> [pooled features, tail input]; present with `tail`. */
  featuresAndTail: tf.LayersModel | undefined;
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

const isRelu6 = (layer: tf.layers.Layer | undefined) => {
  const config = layer?.getConfig() as { activation?: string; maxValue?: number } | undefined;
  if (layer?.getClassName() === 'Activation') return config?.activation === 'relu6';
  return layer?.getClassName() === 'ReLU' && config?.maxValue === 6;
};

/** The conv 1x1 -> batch norm -> ReLU6 right under the pooling, or undefined for any other shape. */
export function findTail(model: tf.LayersModel, poolIndex: number): Tail | undefined {
  const [conv, norm, relu] = model.layers.slice(poolIndex - 3, poolIndex);
  if (!conv || !norm || !isRelu6(relu) || norm.getClassName() !== 'BatchNormalization') return undefined;
  const convConfig = conv.getConfig() as { kernelSize?: number[]; useBias?: boolean; strides?: number[] };
  const normConfig = norm.getConfig() as {
    epsilon?: number;
    scale?: boolean;
    center?: boolean;
    axis?: number;
  };
  if (conv.getClassName() !== 'Conv2D' || convConfig.useBias !== false) return undefined;
  if (convConfig.kernelSize?.some((k) => k !== 1) || convConfig.strides?.some((k) => k !== 1))
    return undefined;
  if (!normConfig.scale || !normConfig.center || (normConfig.axis !== -1 && normConfig.axis !== 3))
    return undefined;
  const input = conv.input as tf.SymbolicTensor;
  const [, height, width, channels] = input.shape;
  if (!height || !width || !channels) return undefined;
  return { input, conv, norm, positions: height * width, channels, epsilon: normConfig.epsilon ?? 0.001 };
}

/** Why a backbone without a Tail cannot be fine-tuned (the training summary shows it). */
export const NO_TAIL = 'the backbone has no conv 1x1 -> batch norm -> ReLU6 under its pooling';

/** The backbone's tail, for the callers that fine-tune: an error when it has none. */
export function requireTail(backbone: Pick<Backbone, 'tail'>): Tail {
  if (!backbone.tail) throw new Error(`Cannot fine-tune: ${NO_TAIL}.`);
  return backbone.tail;
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
  const tail = findTail(model, index);
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
    tail,
    featuresAndTail: tail && tf.model({ inputs: model.inputs, outputs: [pooled, tail.input] }),
  };
}

export interface Embedding {
  pooled: Float32Array;
  /** The tail's input (positions * channels), when asked for. */
  tail?: Float32Array;
}

/** Pooled features (and the tail's input) of a batch of preprocessed inputs (height * width * 3 each). */
export async function embedBatch(
  backbone: Backbone,
  inputs: Float32Array[],
  withTail = false,
): Promise<Embedding[]> {
  const [height, width] = backbone.inputSize;
  const batch = new Float32Array(inputs.length * height * width * 3);
  for (const [i, input] of inputs.entries()) batch.set(input, i * height * width * 3);
  const model = withTail ? backbone.featuresAndTail : backbone.features;
  if (!model) throw new Error(`Cannot fine-tune: ${NO_TAIL}.`);
  const outputs = tf.tidy(() => {
    const out = model.predict(tf.tensor4d(batch, [inputs.length, height, width, 3]));
    return Array.isArray(out) ? out : [out];
  });
  try {
    const [pooled, tail] = await Promise.all(outputs.map(async (o) => (await o.data()) as Float32Array));
    const slices = (flat: Float32Array | undefined, size: number) =>
      inputs.map((_, i) => flat?.slice(i * size, (i + 1) * size));
    const pooledRows = slices(pooled, backbone.featureSize);
    const tailRows = slices(tail, (backbone.tail?.positions ?? 0) * (backbone.tail?.channels ?? 0));
    return inputs.map((_, i) => ({ pooled: pooledRows[i] as Float32Array, tail: tailRows[i] }));
  } finally {
    for (const o of outputs) o.dispose();
  }
}
