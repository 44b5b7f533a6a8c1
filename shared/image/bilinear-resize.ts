import type { DecodedImage, ResizeMode } from '../ports/model.js';

/** Per output row (or column): the two source rows it blends and the weight of the second. */
interface AxisSamples {
  first: Int32Array;
  second: Int32Array;
  weight: Float64Array;
}

/** tf.image.resizeBilinear's half-pixel centres along one axis, clamped to the image. */
function axisSamples(outLength: number, offset: number, step: number, length: number): AxisSamples {
  const samples = {
    first: new Int32Array(outLength),
    second: new Int32Array(outLength),
    weight: new Float64Array(outLength),
  };
  for (let i = 0; i < outLength; i++) {
    const source = Math.max(0, (i + offset + 0.5) * step - 0.5);
    const first = Math.min(Math.floor(source), length - 1);
    samples.first[i] = first;
    samples.second[i] = Math.min(first + 1, length - 1);
    samples.weight[i] = source - first;
  }
  return samples;
}

/**
 * Where each output pixel samples an image of width x height. 'center-crop' scales the shorter side
 * to the target and keeps the centre; 'stretch' maps the whole image onto the target.
 */
function samplesFor(width: number, height: number, size: readonly [number, number], mode: ResizeMode) {
  const [outHeight, outWidth] = size;
  // Size of the whole image after scaling, and where the output window sits in it.
  const scale = Math.max(outHeight / height, outWidth / width);
  const scaledHeight = mode === 'stretch' ? outHeight : Math.round(height * scale);
  const scaledWidth = mode === 'stretch' ? outWidth : Math.round(width * scale);
  const top = Math.floor((scaledHeight - outHeight) / 2);
  const left = Math.floor((scaledWidth - outWidth) / 2);
  return {
    rows: axisSamples(outHeight, top, height / scaledHeight, height),
    columns: axisSamples(outWidth, left, width / scaledWidth, width),
  };
}

/**
 * The smallest rectangle of a width x height image that resizeBilinear reads: for a centre crop of a
 * long, thin image, a square in the middle. Decoding only this window gives the same output.
 */
export function sourceWindow(
  width: number,
  height: number,
  size: readonly [number, number],
  mode: ResizeMode,
): { left: number; top: number; width: number; height: number } {
  const { rows, columns } = samplesFor(width, height, size, mode);
  const span = (s: AxisSamples) => {
    const start = s.first[0] ?? 0;
    return [start, (s.second[s.second.length - 1] ?? start) - start + 1] as const;
  };
  const [left, windowWidth] = span(columns);
  const [top, windowHeight] = span(rows);
  return { left, top, width: windowWidth, height: windowHeight };
}

/**
 * Resizes like tf.image.resizeBilinear (half-pixel centres), unrounded floats out, in one pass.
 * Plain bilinear is what the TF.js reference pipeline uses; libvips' lanczos3 scored 20/25 breeds
 * against 22/25 on the test pets with MobileNet, a kernel difference the model notices. Bilinear
 * aliases when shrinking more than 2x, so callers pre-shrink larger images first.
 */
export function resizeBilinear(
  image: DecodedImage,
  size: readonly [number, number],
  mode: ResizeMode,
): Float32Array {
  const { data, width } = image;
  const frame = image.frame ?? { left: 0, top: 0, width: image.width, height: image.height };
  const [outHeight, outWidth] = size;
  const { rows, columns } = samplesFor(frame.width, frame.height, size, mode);

  const out = new Float32Array(outHeight * outWidth * 3);
  for (let y = 0; y < outHeight; y++) {
    const row0 = ((rows.first[y] as number) - frame.top) * width;
    const row1 = ((rows.second[y] as number) - frame.top) * width;
    const fy = rows.weight[y] as number;
    for (let x = 0; x < outWidth; x++) {
      const x0 = (columns.first[x] as number) - frame.left;
      const x1 = (columns.second[x] as number) - frame.left;
      const fx = columns.weight[x] as number;
      for (let c = 0; c < 3; c++) {
        const a = data[(row0 + x0) * 3 + c] ?? 0;
        const b = data[(row0 + x1) * 3 + c] ?? 0;
        const d = data[(row1 + x0) * 3 + c] ?? 0;
        const e = data[(row1 + x1) * 3 + c] ?? 0;
        const upper = a + (b - a) * fx;
        const lower = d + (e - d) * fx;
        out[(y * outWidth + x) * 3 + c] = upper + (lower - upper) * fy;
      }
    }
  }
  return out;
}
