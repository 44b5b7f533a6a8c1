import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { preprocessImage } from '../../shared/adapters/model/image-preprocess.js';
import { UnprocessableImageError } from '../../shared/errors.js';
import type { Preprocessing } from '../../shared/ports/model.js';
import { prepare, VARIANTS } from '../eval/variants.js';

/**
 * The views of one photo the head learns from. 'center' is exactly what serving feeds the model;
 * 'flip' mirrors it; 'zoom80' is a second, tighter crop (the central 80 % of the shorter side), which
 * serving sees when a user frames the pet closely. The others are what phones and chat apps send:
 * 'small' is the photo downscaled to 96-160 px on its long side (the size drawn from the photo's hash,
 * so every run draws the same) and upscaled again by serving; 'down96', 'grey' and 'jpeg20' are the
 * eval report's robustness variants (cli/eval/variants.ts), the same bytes. The id is part of the
 * embedding cache key, so changing what a view does means giving it a new id.
 */
export const VIEWS = ['center', 'flip', 'zoom80', 'small', 'down96', 'grey', 'jpeg20'] as const;
export type View = (typeof VIEWS)[number];

export interface ViewOptions {
  inputSize: readonly [number, number];
  preprocessing: Preprocessing;
}

function mirror(input: Float32Array, [height, width]: readonly [number, number]): Float32Array {
  const out = new Float32Array(input.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 3;
      const to = (y * width + (width - 1 - x)) * 3;
      out[to] = input[from] ?? 0;
      out[to + 1] = input[from + 1] ?? 0;
      out[to + 2] = input[from + 2] ?? 0;
    }
  }
  return out;
}

/** The central square of 80 % of the shorter side, losslessly re-encoded for the serving decoder. */
async function zoomed(image: Buffer): Promise<Buffer> {
  try {
    // The serving decoder's tolerance: cut-off files fail, the harmless warnings of phone JPEGs do not.
    const oriented = sharp(image, { failOn: 'truncated' }).rotate();
    const { data, info } = await oriented.png({ compressionLevel: 0 }).toBuffer({ resolveWithObject: true });
    const side = Math.max(1, Math.round(Math.min(info.width, info.height) * 0.8));
    return await sharp(data)
      .extract({
        left: Math.floor((info.width - side) / 2),
        top: Math.floor((info.height - side) / 2),
        width: side,
        height: side,
      })
      .png({ compressionLevel: 0 })
      .toBuffer();
  } catch (cause) {
    throw new UnprocessableImageError('CORRUPT_IMAGE', 'The image could not be decoded.', cause);
  }
}

const variant = (id: string) => {
  const found = VARIANTS.find((v) => v.id === id);
  if (!found) throw new Error(`no eval variant ${id}`);
  return prepare(found);
};

/** The photo downscaled to 96-160 px on its long side, the size drawn from its bytes' hash. */
async function small(image: Buffer): Promise<Buffer> {
  const side = 96 + (createHash('sha256').update(image).digest().readUInt32BE(0) % 65);
  try {
    return await sharp(image, { failOn: 'truncated' })
      .rotate()
      .resize(side, side, { fit: 'inside', withoutEnlargement: true })
      .png({ compressionLevel: 0 })
      .toBuffer();
  } catch (cause) {
    throw new UnprocessableImageError('CORRUPT_IMAGE', 'The image could not be decoded.', cause);
  }
}

/** The bytes each re-encoded view feeds the serving preprocessing. */
const REENCODED: Record<Exclude<View, 'center' | 'flip'>, (image: Buffer) => Promise<Buffer>> = {
  zoom80: zoomed,
  small,
  down96: variant('downscaled-96'),
  grey: variant('greyscale'),
  jpeg20: variant('jpeg-q20'),
};

/**
 * The model inputs of the requested views of one photo, through the serving preprocessing
 * (preprocessImage) so that training sees what inference will see.
 */
export async function viewInputs(
  image: Buffer,
  views: readonly View[],
  options: ViewOptions,
): Promise<Map<View, Float32Array>> {
  const out = new Map<View, Float32Array>();
  let center: Float32Array | undefined;
  const centerInput = async () => {
    center ??= await preprocessImage(image, options);
    return center;
  };
  for (const view of views) {
    if (view === 'center') out.set(view, await centerInput());
    else if (view === 'flip') out.set(view, mirror(await centerInput(), options.inputSize));
    else out.set(view, await preprocessImage(await REENCODED[view](image), options));
  }
  return out;
}
