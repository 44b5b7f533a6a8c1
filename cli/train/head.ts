import * as tf from '@tensorflow/tfjs';

/** A linear softmax head: logits = features · kernel + bias, kernel [featureSize][classes]. */
export interface Head {
  kernel: Float32Array;
  bias: Float32Array;
  featureSize: number;
  classes: number;
}

export interface HeadTrainingOptions {
  epochs: number;
  learningRate: number;
  /** L2 pull of anchored columns toward their initial values (the backbone's own classes). */
  pull: number;
  /** Plain L2 weight decay on the columns that have no anchor. */
  decay: number;
  /** Per class weight of its examples in the loss (the data is very uneven). */
  classWeights: Float32Array;
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface HeadInit extends Head {
  /** Per class: true when its column starts from (and is pulled toward) a backbone class. */
  anchored: boolean[];
}

/**
 * The head's two L2 terms, as a function of its kernel: the anchored columns pulled toward their
 * start (`pull`), the others decayed toward zero (`decay`). Its tensors live in the caller's scope.
 */
export function headPenalties(
  init: HeadInit,
  pull: number,
  decay: number,
): (kernel: tf.Tensor) => tf.Tensor[] {
  const kernel0 = tf.tensor2d(init.kernel, [init.featureSize, init.classes]);
  const anchorMask = tf.tensor1d(
    init.anchored.map((a) => (a ? 1 : 0)),
    'float32',
  );
  const freeMask = tf.sub(1, anchorMask);
  return (kernel) => [
    tf.mul(pull, tf.sum(tf.mul(tf.square(tf.sub(kernel, kernel0)), anchorMask))),
    tf.mul(decay, tf.sum(tf.mul(tf.square(kernel), freeMask))),
  ];
}

/**
 * Full-batch Adam on the cached features. Full batch means no shuffling, and the wasm/cpu backends
 * run single-threaded, so the same inputs give the same weights bit for bit.
 */
export function trainHead(
  features: Float32Array,
  labels: Int32Array,
  init: HeadInit,
  options: HeadTrainingOptions,
): Head {
  const { featureSize: d, classes: k } = init;
  const n = labels.length;
  tf.engine().startScope();
  try {
    const x = tf.tensor2d(features, [n, d]);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), k).toFloat();
    const sampleWeights = tf.tensor1d(Float32Array.from(labels, (label) => options.classWeights[label] ?? 1));
    const weightSum = sampleWeights.sum();
    const penalties = headPenalties(init, options.pull, options.decay);
    const kernel = tf.variable(tf.tensor2d(init.kernel, [d, k]));
    const bias = tf.variable(tf.tensor1d(init.bias));
    const optimizer = tf.train.adam(options.learningRate);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const loss = optimizer.minimize(
        () => {
          const logits = tf.add(tf.matMul(x, kernel), bias);
          const perExample = tf.losses.softmaxCrossEntropy(y, logits, undefined, 0, tf.Reduction.NONE);
          const data = tf.div(tf.sum(tf.mul(perExample, sampleWeights)), weightSum);
          return tf.addN([data, ...penalties(kernel)]) as tf.Scalar;
        },
        true,
        [kernel, bias],
      );
      if (options.onEpoch && loss) options.onEpoch(epoch, loss.dataSync()[0] ?? Number.NaN);
      loss?.dispose();
    }
    const result: Head = {
      kernel: kernel.dataSync() as Float32Array,
      bias: bias.dataSync() as Float32Array,
      featureSize: d,
      classes: k,
    };
    kernel.dispose();
    bias.dispose();
    optimizer.dispose();
    return result;
  } finally {
    tf.engine().endScope();
  }
}

/** The head's logits for one feature vector (float64, for evaluation on cached features). */
export function headLogits(head: Head, features: Float32Array): Float64Array {
  const { featureSize: d, classes: k } = head;
  const logits = new Float64Array(k);
  for (let c = 0; c < k; c++) logits[c] = head.bias[c] ?? 0;
  for (let i = 0; i < d; i++) {
    const f = features[i] ?? 0;
    if (f === 0) continue;
    const row = i * k;
    for (let c = 0; c < k; c++) logits[c] = (logits[c] ?? 0) + f * (head.kernel[row + c] ?? 0);
  }
  return logits;
}

/** softmax(logits / temperature), in float64. */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const out = Float64Array.from(logits, (l) => l / temperature);
  let max = Number.NEGATIVE_INFINITY;
  for (const l of out) max = Math.max(max, l);
  let sum = 0;
  for (let c = 0; c < out.length; c++) {
    out[c] = Math.exp((out[c] ?? 0) - max);
    sum += out[c] ?? 0;
  }
  for (let c = 0; c < out.length; c++) out[c] = (out[c] ?? 0) / sum;
  return out;
}

/** Class probabilities of one feature vector (float64 softmax, for evaluation on cached features). */
export function headProbabilities(head: Head, features: Float32Array, temperature = 1): Float64Array {
  return softmax(headLogits(head, features), temperature);
}

/**
 * The head with its logits divided by `temperature`: the exported softmax then gives the calibrated
 * probabilities, and serving needs no change.
 */
export function scaledHead(head: Head, temperature: number): Head {
  const scale = Math.fround(1 / temperature);
  return {
    ...head,
    kernel: Float32Array.from(head.kernel, (w) => w * scale),
    bias: Float32Array.from(head.bias, (b) => b * scale),
  };
}
