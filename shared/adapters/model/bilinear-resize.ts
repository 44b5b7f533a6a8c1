import type { ResizeMode } from '../../ports/model.js';

export interface RgbImage {
  /** Interleaved RGB, row-major, height * width * 3 values. */
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Resizes like tf.image.resizeBilinear (half-pixel centres), unrounded floats out, in one pass.
 * 'center-crop' scales the shorter side to the target and keeps the centre; 'stretch' maps the whole
 * image onto the target. Plain bilinear is what the TF.js reference pipeline uses; libvips' lanczos3
 * scored 20/25 breeds against 22/25 on the test pets with MobileNet, a kernel difference the model
 * notices. Bilinear aliases when shrinking more than 2x, so callers pre-shrink larger images first.
 */
export function resizeBilinear(
  image: RgbImage,
  size: readonly [number, number],
  mode: ResizeMode,
): Float32Array {
  const { data, width, height } = image;
  const [outHeight, outWidth] = size;
  // Size of the whole image after scaling, and where the output window sits in it.
  const scale = Math.max(outHeight / height, outWidth / width);
  const scaledHeight = mode === 'stretch' ? outHeight : Math.round(height * scale);
  const scaledWidth = mode === 'stretch' ? outWidth : Math.round(width * scale);
  const top = Math.floor((scaledHeight - outHeight) / 2);
  const left = Math.floor((scaledWidth - outWidth) / 2);
  const stepY = height / scaledHeight;
  const stepX = width / scaledWidth;

  const out = new Float32Array(outHeight * outWidth * 3);
  for (let y = 0; y < outHeight; y++) {
    const sourceY = Math.max(0, (y + top + 0.5) * stepY - 0.5);
    const y0 = Math.min(Math.floor(sourceY), height - 1);
    const y1 = Math.min(y0 + 1, height - 1);
    const fy = sourceY - y0;
    for (let x = 0; x < outWidth; x++) {
      const sourceX = Math.max(0, (x + left + 0.5) * stepX - 0.5);
      const x0 = Math.min(Math.floor(sourceX), width - 1);
      const x1 = Math.min(x0 + 1, width - 1);
      const fx = sourceX - x0;
      for (let c = 0; c < 3; c++) {
        const a = data[(y0 * width + x0) * 3 + c] ?? 0;
        const b = data[(y0 * width + x1) * 3 + c] ?? 0;
        const d = data[(y1 * width + x0) * 3 + c] ?? 0;
        const e = data[(y1 * width + x1) * 3 + c] ?? 0;
        const upper = a + (b - a) * fx;
        const lower = d + (e - d) * fx;
        out[(y * outWidth + x) * 3 + c] = upper + (lower - upper) * fy;
      }
    }
  }
  return out;
}
