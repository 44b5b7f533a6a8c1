import type * as tf from '@tensorflow/tfjs';

export interface WeightFile {
  specs: tf.io.WeightsManifestEntry[];
  data: Buffer;
}

/**
 * TF.js's own affine uint8 quantisation (what tfjs-converter's --quantize_uint8 writes): each float32
 * tensor becomes bytes q with value = q * scale + min, recorded as `quantization` in its manifest
 * entry, and TF.js dequantises at load. A quarter of the size; other dtypes are copied unchanged.
 */
export function quantizeUint8(
  specs: readonly tf.io.WeightsManifestEntry[],
  data: Buffer,
  shouldQuantize: (spec: tf.io.WeightsManifestEntry) => boolean = () => true,
): WeightFile {
  const out: Buffer[] = [];
  const outSpecs: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== 'float32' || spec.quantization || !shouldQuantize(spec)) {
      const bytes = count * (spec.dtype === 'float32' || spec.dtype === 'int32' ? 4 : 1);
      out.push(data.subarray(offset, offset + bytes));
      outSpecs.push(spec);
      offset += bytes;
      continue;
    }
    const values = new Float32Array(
      data.buffer.slice(data.byteOffset + offset, data.byteOffset + offset + count * 4),
    );
    offset += count * 4;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    // Math.fround: TF.js computes in float32, so the recorded numbers must be exactly float32 values.
    min = Math.fround(min);
    const scale = max > min ? Math.fround((max - min) / 255) : 1;
    const quantized = Buffer.alloc(count);
    for (let i = 0; i < count; i++) {
      quantized[i] = Math.min(255, Math.max(0, Math.round(((values[i] ?? 0) - min) / scale)));
    }
    out.push(quantized);
    outSpecs.push({ ...spec, quantization: { dtype: 'uint8', min, scale } });
  }
  return { specs: outSpecs, data: Buffer.concat(out) };
}

/**
 * Which tensors to quantise: the kernels of ordinary convolutions and dense layers, 96 % of MobileNet's
 * weights. Quantising every tensor cost the default model 2.1 points of validation top-1: depthwise
 * kernels and batch-norm statistics have outliers a 256-step grid cannot follow, the first convolution
 * sees raw pixels, and the trained head is small; those stay float32.
 */
export function isBulkKernel(spec: tf.io.WeightsManifestEntry, keepFloat: readonly string[]): boolean {
  const layer = spec.name.split('/')[0] ?? '';
  return spec.name.endsWith('/kernel') && !keepFloat.includes(layer);
}
