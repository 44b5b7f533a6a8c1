/**
 * EXIF orientation as sharp applies it (CalculateExifRotationAndFlop): turn clockwise by quarter
 * turns, then mirror left-right. Done here on small decoded windows instead of by libvips, because
 * libvips can only rotate an image it holds whole in memory: a rotated 40 MP photo would be
 * materialised before it could be cropped.
 */
const ORIENTATIONS: Record<number, { turns: 0 | 1 | 2 | 3; flop: boolean }> = {
  1: { turns: 0, flop: false },
  2: { turns: 0, flop: true },
  3: { turns: 2, flop: false },
  4: { turns: 2, flop: true },
  5: { turns: 1, flop: true },
  6: { turns: 1, flop: false },
  7: { turns: 3, flop: true },
  8: { turns: 3, flop: false },
};

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

const transformOf = (orientation: number | undefined) => ORIENTATIONS[orientation ?? 1] ?? ORIENTATIONS[1];

/** Whether the orientation swaps width and height. */
export function swapsAxes(orientation: number | undefined): boolean {
  return transformOf(orientation)?.turns === 1 || transformOf(orientation)?.turns === 3;
}

/** The stored (x, y) shown at upright (x, y) in an image stored as width x height. */
function storedPoint(
  x: number,
  y: number,
  stored: { width: number; height: number },
  orientation: number | undefined,
): [number, number] {
  const { turns, flop } = transformOf(orientation) ?? { turns: 0, flop: false };
  const uprightWidth = turns % 2 === 1 ? stored.height : stored.width;
  const ux = flop ? uprightWidth - 1 - x : x;
  if (turns === 1) return [y, stored.height - 1 - ux];
  if (turns === 2) return [stored.width - 1 - ux, stored.height - 1 - y];
  if (turns === 3) return [stored.width - 1 - y, ux];
  return [ux, y];
}

/** The stored rectangle that shows as `upright` once oriented, in an image stored as width x height. */
export function storedRect(
  upright: Rect,
  stored: { width: number; height: number },
  orientation: number | undefined,
): Rect {
  const [x0, y0] = storedPoint(upright.left, upright.top, stored, orientation);
  const [x1, y1] = storedPoint(
    upright.left + upright.width - 1,
    upright.top + upright.height - 1,
    stored,
    orientation,
  );
  return {
    left: Math.min(x0, x1),
    top: Math.min(y0, y1),
    width: Math.abs(x1 - x0) + 1,
    height: Math.abs(y1 - y0) + 1,
  };
}

/** Interleaved RGB pixels stored as width x height, turned upright. */
export function orientPixels(
  data: Uint8Array,
  width: number,
  height: number,
  orientation: number | undefined,
): { data: Uint8Array; width: number; height: number } {
  const swap = swapsAxes(orientation);
  const [outWidth, outHeight] = swap ? [height, width] : [width, height];
  const identity = transformOf(orientation)?.turns === 0 && !transformOf(orientation)?.flop;
  if (identity) return { data, width, height };
  const out = new Uint8Array(data.length);
  const stored = { width, height };
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const [sx, sy] = storedPoint(x, y, stored, orientation);
      const from = (sy * width + sx) * 3;
      const to = (y * outWidth + x) * 3;
      out[to] = data[from] as number;
      out[to + 1] = data[from + 1] as number;
      out[to + 2] = data[from + 2] as number;
    }
  }
  return { data: out, width: outWidth, height: outHeight };
}
