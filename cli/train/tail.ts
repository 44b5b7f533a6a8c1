import * as tf from '@tensorflow/tfjs';
import type { Tail } from './backbone.js';
import { type Head, type HeadInit, headPenalties } from './head.js';
import type { TailSettings } from './settings.js';
import { seededRandom } from './split.js';

/**
 * The backbone's last pointwise convolution with its batch norm folded in, as fine-tuning trains it:
 * pooled = mean over positions of relu6((input · (kernel + down · up)) ⊙ scale + shift), where `kernel`
 * is the backbone's own (frozen) and `down · up` a low-rank update (rank r). Only `down`, `up`,
 * `scale` and `shift` are learnt: a full 768x768 update costs 12x the arithmetic, which single-threaded
 * wasm cannot afford over thousands of photos, and overfits a dataset this small.
 */
export interface TunedTail {
  positions: number;
  channels: number;
  features: number;
  rank: number;
  /** [channels][features], the backbone's own. */
  kernel: Float32Array;
  /** [channels][rank] and [rank][features]. */
  down: Float32Array;
  up: Float32Array;
  scale: Float32Array;
  shift: Float32Array;
}

/** The tail exactly as the backbone has it: its kernel, and its batch norm folded into scale and shift. */
export function frozenTail(tail: Tail, rank: number): TunedTail {
  const [kernel] = tail.conv.getWeights();
  const [gamma, beta, mean, variance] = tail.norm.getWeights();
  if (!kernel || !gamma || !beta || !mean || !variance) throw new Error('The tail has no weights.');
  const features = kernel.shape[3] ?? 0;
  const g = gamma.dataSync();
  const b = beta.dataSync();
  const m = mean.dataSync();
  const v = variance.dataSync();
  const scale = Float32Array.from(g, (x, c) => x / Math.sqrt((v[c] ?? 0) + tail.epsilon));
  const shift = Float32Array.from(b, (x, c) => x - (m[c] ?? 0) * (scale[c] ?? 0));
  // down starts small and seeded, up at zero: the update starts at exactly zero, gradients at once.
  const random = seededRandom(rank + 1);
  const down = Float32Array.from({ length: tail.channels * rank }, () => (random() - 0.5) * 0.02);
  return {
    positions: tail.positions,
    channels: tail.channels,
    features,
    rank,
    kernel: kernel.dataSync() as Float32Array,
    down,
    up: new Float32Array(rank * features),
    scale,
    shift,
  };
}

/** The pointwise kernel with the update added and the scale folded in: what the export writes. */
export function foldedKernel(tail: TunedTail): Float32Array {
  const { channels: c, features: f, rank: r } = tail;
  const out = new Float32Array(c * f);
  for (let i = 0; i < c; i++) {
    for (let j = 0; j < f; j++) {
      let w = tail.kernel[i * f + j] ?? 0;
      for (let k = 0; k < r; k++) w += (tail.down[i * r + k] ?? 0) * (tail.up[k * f + j] ?? 0);
      out[i * f + j] = w * (tail.scale[j] ?? 0);
    }
  }
  return out;
}

function pooledTensor(
  input: tf.Tensor2D,
  base: tf.Tensor2D,
  v: { down: tf.Tensor2D; up: tf.Tensor2D; scale: tf.Tensor1D; shift: tf.Tensor1D },
  rows: number,
  positions: number,
): tf.Tensor2D {
  const updated = v.down.shape[1] === 0 ? base : tf.add(base, tf.matMul(tf.matMul(input, v.down), v.up));
  const activated = tf.relu6(tf.add(tf.mul(updated, v.scale), v.shift));
  return tf.mean(tf.reshape(activated, [rows, positions, -1]), 1) as tf.Tensor2D;
}

/** input · kernel of many photos, in batches: the frozen product fine-tuning starts from. */
function baseProducts(inputs: readonly Float32Array[], tail: TunedTail): Float32Array[] {
  const kernel = tf.tensor2d(tail.kernel, [tail.channels, tail.features]);
  try {
    return inBatches(inputs, tail.positions * tail.features, (batch) =>
      tf.matMul(stack(batch, tail.positions, tail.channels), kernel),
    );
  } finally {
    kernel.dispose();
  }
}

/** `compute` over inputs 64 at a time, each batch's result cut back into one row per input. */
function inBatches(
  inputs: readonly Float32Array[],
  rowSize: number,
  compute: (batch: readonly Float32Array[]) => tf.Tensor,
): Float32Array[] {
  const out: Float32Array[] = [];
  for (let start = 0; start < inputs.length; start += 64) {
    const batch = inputs.slice(start, start + 64);
    const result = tf.tidy(() => compute(batch));
    const flat = result.dataSync() as Float32Array;
    result.dispose();
    for (let i = 0; i < batch.length; i++) out.push(flat.slice(i * rowSize, (i + 1) * rowSize));
  }
  return out;
}

function stack(rows: readonly Float32Array[], positions: number, width: number): tf.Tensor2D {
  const flat = new Float32Array(rows.length * positions * width);
  for (const [i, row] of rows.entries()) flat.set(row, i * positions * width);
  return tf.tensor2d(flat, [rows.length * positions, width]);
}

/** Pooled features of tail inputs through a tuned tail (float32, as the exported model computes them). */
export function tailFeatures(tail: TunedTail, inputs: readonly Float32Array[]): Float32Array[] {
  const kernel = tf.tensor2d(foldedKernel(tail), [tail.channels, tail.features]);
  const shift = tf.tensor1d(tail.shift);
  try {
    return inBatches(inputs, tail.features, (batch) => {
      const product = tf.matMul(stack(batch, tail.positions, tail.channels), kernel);
      const activated = tf.relu6(tf.add(product, shift));
      return tf.mean(tf.reshape(activated, [batch.length, tail.positions, tail.features]), 1);
    });
  } finally {
    kernel.dispose();
    shift.dispose();
  }
}

export interface TailTrainingOptions {
  settings: TailSettings;
  /** The head to start from (fitted on the frozen features) and how it is held: as trainHead does. */
  head: HeadInit;
  pull: number;
  decay: number;
  classWeights: Float32Array;
  /** Seeds the order of the mini-batches. */
  seed: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * Mini-batch Adam on the tail and the head together, from cached tail inputs. The batches' order is
 * drawn from `seed` and the backends run single-threaded, so the same inputs give the same weights.
 */
export function trainTail(
  start: TunedTail,
  inputs: readonly Float32Array[],
  labels: Int32Array,
  options: TailTrainingOptions,
): { tail: TunedTail; head: Head } {
  const { settings, head: init } = options;
  const { positions, channels, features, rank } = start;
  const bases = baseProducts(inputs, start);
  const classes = init.classes;
  tf.engine().startScope();
  try {
    const v = {
      down: tf.variable(tf.tensor2d(start.down, [channels, rank])),
      up: tf.variable(tf.tensor2d(start.up, [rank, features])),
      scale: tf.variable(tf.tensor1d(start.scale)),
      shift: tf.variable(tf.tensor1d(start.shift)),
    };
    const penalties = headPenalties(init, options.pull, options.decay);
    const kernel = tf.variable(tf.tensor2d(init.kernel, [features, classes]));
    const bias = tf.variable(tf.tensor1d(init.bias));
    const tailVariables = [v.scale, v.shift, ...(rank > 0 ? [v.down, v.up] : [])];
    const headVariables = settings.headRate > 0 ? [kernel, bias] : [];
    const optimizer = tf.train.adam(settings.learningRate);
    const headOptimizer = tf.train.adam(settings.learningRate * settings.headRate);
    const random = seededRandom(options.seed);
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const order = Array.from(labels, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      let total = 0;
      for (let at = 0; at < order.length; at += settings.batchSize) {
        const rows = order.slice(at, at + settings.batchSize);
        const loss = tf.tidy(() => {
          const input = stack(
            rows.map((r) => inputs[r] as Float32Array),
            positions,
            channels,
          );
          const base = stack(
            rows.map((r) => bases[r] as Float32Array),
            positions,
            features,
          );
          const y = tf.oneHot(
            tf.tensor1d(
              Int32Array.from(rows, (r) => labels[r] ?? 0),
              'int32',
            ),
            classes,
          );
          const weights = tf.tensor1d(
            Float32Array.from(rows, (r) => options.classWeights[labels[r] ?? 0] ?? 1),
          );
          const { value, grads } = tf.variableGrads(() => {
            const pooled = pooledTensor(input, base, v, rows.length, positions);
            const logits = tf.add(tf.matMul(pooled, kernel), bias);
            const perExample = tf.losses.softmaxCrossEntropy(y, logits, undefined, 0, tf.Reduction.NONE);
            // Over the batch size, not the batch's weights: the weights average 1 over the data, so each
            // batch estimates the full-data loss, and one rare-breed photo does not take a batch over.
            const data = tf.div(tf.sum(tf.mul(perExample, weights)), rows.length);
            const update = rank > 0 ? tf.sum(tf.square(tf.matMul(v.down, v.up))) : tf.scalar(0);
            return tf.addN([data, ...penalties(kernel), tf.mul(settings.decay, update)]) as tf.Scalar;
          }, [...tailVariables, ...headVariables]);
          const pick = (vars: tf.Variable[]) =>
            vars.map((x) => ({ name: x.name, tensor: grads[x.name] as tf.Tensor }));
          optimizer.applyGradients(pick(tailVariables));
          if (headVariables.length > 0) headOptimizer.applyGradients(pick(headVariables));
          return value;
        });
        total += (loss.dataSync()[0] ?? 0) * rows.length;
        loss.dispose();
      }
      options.onEpoch?.(epoch, total / order.length);
    }
    const tail: TunedTail = {
      ...start,
      down: v.down.dataSync() as Float32Array,
      up: v.up.dataSync() as Float32Array,
      scale: v.scale.dataSync() as Float32Array,
      shift: v.shift.dataSync() as Float32Array,
    };
    const head: Head = {
      kernel: kernel.dataSync() as Float32Array,
      bias: bias.dataSync() as Float32Array,
      featureSize: features,
      classes,
    };
    optimizer.dispose();
    headOptimizer.dispose();
    for (const variable of [...Object.values(v), kernel, bias]) variable.dispose();
    return { tail, head };
  } finally {
    tf.engine().endScope();
  }
}

/** Each photo's pooled features of one view: cached, or through the tuned tail from its cached input. */
export function pooledFeatures(
  photos: readonly ({ views: Map<string, Float32Array>; tails: Map<string, Float32Array> } | undefined)[],
  view: string,
  tail: TunedTail | undefined,
): (Float32Array | undefined)[] {
  if (!tail) return photos.map((p) => p?.views.get(view));
  const inputs = photos.map((p) => p?.tails.get(view));
  const computed = tailFeatures(
    tail,
    inputs.filter((x) => x !== undefined),
  );
  let next = 0;
  return inputs.map((input) => (input ? computed[next++] : undefined));
}
