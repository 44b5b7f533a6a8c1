import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { findTail } from '../../../cli/train/backbone.js';
import { seededRandom } from '../../../cli/train/split.js';
import {
  foldedKernel,
  frozenTail,
  pooledFeatures,
  type TunedTail,
  tailFeatures,
  trainTail,
} from '../../../cli/train/tail.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 4x4x3 in, conv 1x1 (6, no bias) -> batch norm -> ReLU6 -> average pool -> 3 classes: MobileNet's top, small. */
function tinyBackbone(activation: 'relu6' | 'relu' = 'relu6') {
  const random = seededRandom(7);
  const values = (n: number, spread = 1, offset = 0) =>
    Float32Array.from({ length: n }, () => (random() - 0.5) * spread + offset);
  const input = tf.input({ shape: [4, 4, 3] });
  const conv = tf.layers.conv2d({ filters: 6, kernelSize: 1, useBias: false, name: 'pw' });
  const norm = tf.layers.batchNormalization({ name: 'pw_bn', epsilon: 0.001 });
  let x = conv.apply(input) as tf.SymbolicTensor;
  x = norm.apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation }).apply(x) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3 }).apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  conv.setWeights([tf.tensor4d(values(18, 2), [1, 1, 3, 6])]);
  norm.setWeights([
    tf.tensor1d(values(6, 1, 1)),
    tf.tensor1d(values(6, 1)),
    tf.tensor1d(values(6, 1)),
    tf.tensor1d(values(6, 1, 1)),
  ]);
  return {
    model,
    poolIndex: model.layers.findIndex((l) => l.getClassName() === 'GlobalAveragePooling2D'),
    pooled,
  };
}

describe('the backbone tail fine-tuning trains', () => {
  it('is found only where the pooling reads conv 1x1 -> batch norm -> ReLU6', () => {
    const { model, poolIndex } = tinyBackbone();
    expect(findTail(model, poolIndex)).toMatchObject({ positions: 16, channels: 3, epsilon: 0.001 });
    const plain = tinyBackbone('relu');
    expect(findTail(plain.model, plain.poolIndex)).toBeUndefined();
  });

  it('starts as exactly the backbone: its pooled features, from the cached tail input', () => {
    const { model, poolIndex, pooled } = tinyBackbone();
    const tail = findTail(model, poolIndex);
    if (!tail) throw new Error('no tail');
    const images = tf.randomUniform([5, 4, 4, 3], -1, 1, 'float32', 3);
    const [expected, inputs] = tf
      .model({ inputs: model.inputs, outputs: [pooled, tail.input] })
      .predict(images) as tf.Tensor[];
    const rows = (t: tf.Tensor | undefined, size: number) => {
      const flat = t?.dataSync() as Float32Array;
      return Array.from({ length: 5 }, (_, i) => flat.slice(i * size, (i + 1) * size));
    };
    const start = frozenTail(tail, 2);
    const got = tailFeatures(start, rows(inputs, 48));
    const want = rows(expected, 6);
    for (const [i, row] of got.entries()) {
      for (const [c, value] of row.entries()) expect(value).toBeCloseTo(want[i]?.[c] ?? Number.NaN, 5);
    }
  });

  it('folds the low-rank update and the scale into one kernel (hand-computed)', () => {
    const tail: TunedTail = {
      positions: 1,
      channels: 2,
      features: 2,
      rank: 1,
      kernel: Float32Array.of(1, 2, 3, 4),
      down: Float32Array.of(1, 2),
      up: Float32Array.of(0.5, -1),
      scale: Float32Array.of(2, 10),
      shift: Float32Array.of(0, 0),
    };
    // kernel + down·up = [[1.5, 1], [4, 2]]; columns scaled by 2 and 10.
    expect(Array.from(foldedKernel(tail))).toEqual([3, 10, 8, 20]);
    // One position, input [1, 0]: relu6([3, 10]) = [3, 6].
    expect(Array.from(tailFeatures(tail, [Float32Array.of(1, 0)])[0] ?? [])).toEqual([3, 6]);
    const photo = {
      views: new Map<string, Float32Array>(),
      tails: new Map([['center', Float32Array.of(0, 1)]]),
    };
    expect(pooledFeatures([photo, undefined], 'center', tail).map((f) => f && Array.from(f))).toEqual([
      [6, 6],
      undefined,
    ]);
  });

  it('learns a task the frozen tail cannot, the same weights bit for bit on every run', () => {
    const { model, poolIndex } = tinyBackbone();
    const tail = findTail(model, poolIndex);
    if (!tail) throw new Error('no tail');
    const random = seededRandom(11);
    // Class = which input channel is largest on average: separable, but not by the frozen kernel alone.
    const inputs = Array.from({ length: 48 }, () => Float32Array.from({ length: 48 }, () => random() * 2));
    const labels = Int32Array.from(inputs, (input) => {
      const sums = [0, 1, 2].map((c) => input.filter((_, i) => i % 3 === c).reduce((a, b) => a + b, 0));
      return sums.indexOf(Math.max(...sums));
    });
    const run = (rank: number) =>
      trainTail(frozenTail(tail, rank), inputs, labels, {
        settings: { rank, epochs: 30, batchSize: 8, learningRate: 0.05, decay: 0, headRate: 1 },
        head: {
          kernel: new Float32Array(18),
          bias: new Float32Array(3),
          featureSize: 6,
          classes: 3,
          anchored: [false, false, false],
        },
        pull: 0,
        decay: 0,
        classWeights: Float32Array.of(1, 1, 1),
        seed: 1,
        onEpoch: (_epoch, loss) => losses.push(loss),
      });
    const losses: number[] = [];
    const first = run(2);
    expect(losses.at(-1)).toBeLessThan((losses[0] ?? 0) * 0.8);
    const second = run(2);
    for (const key of ['down', 'up', 'scale', 'shift'] as const)
      expect(second.tail[key]).toEqual(first.tail[key]);
    expect(second.head.kernel).toEqual(first.head.kernel);
    expect(Array.from(first.tail.up).some((w) => w !== 0)).toBe(true);
    // Rank 0: the norm's scale and shift alone move; the kernel is the backbone's.
    const normOnly = run(0);
    expect(normOnly.tail.kernel).toEqual(frozenTail(tail, 0).kernel);
    expect(normOnly.tail.scale).not.toEqual(frozenTail(tail, 0).scale);
  });
});
