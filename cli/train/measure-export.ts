import { readFile, rm } from 'node:fs/promises';
import { classifyImage } from '../../shared/adapters/model/image-preprocess.js';
import { loadTfjsModel } from '../../shared/adapters/model/tfjs-model.js';
import type { Species } from '../../shared/ports/model.js';
import type { FilePath } from '../image-files.js';
import { writeModelDir } from './export.js';

export interface ExportMeasurement {
  photos: number;
  top1: number;
  species: number;
  /** Median classify() time, decode included. */
  p50Ms: number;
}

/**
 * Loads an exported folder through the model port, exactly as the server does, and classifies photos
 * with it: what the export really does, quantisation included, not what the cached features predict.
 */
export async function measureExport(
  dir: string,
  photos: readonly { file: FilePath; label: number }[],
  species: readonly (Species | null)[],
  backend: string,
): Promise<ExportMeasurement> {
  const model = await loadTfjsModel({ uri: dir, backend: backend as 'wasm' | 'cpu' | 'tensorflow' });
  try {
    const labels = model.info.labels;
    let right = 0;
    let speciesRight = 0;
    const times: number[] = [];
    for (const photo of photos) {
      const image = await readFile(photo.file);
      const started = performance.now();
      const result = await classifyImage(model, image, 1);
      times.push(performance.now() - started);
      if (result.scores[0]?.label === labels[photo.label]) right++;
      if (result.species === (species[photo.label] ?? null)) speciesRight++;
    }
    times.sort((a, b) => a - b);
    const n = Math.max(1, photos.length);
    return {
      photos: photos.length,
      top1: right / n,
      species: speciesRight / n,
      p50Ms: Math.round((times[Math.floor(times.length / 2)] ?? 0) * 10) / 10,
    };
  } finally {
    await model.dispose();
  }
}

/** uint8 weights only when they cost at most this much validation top-1. */
export const MAX_UINT8_TOP1_DROP = 0.005;

export interface PrecisionTrial {
  /** Where the two trial folders go, as `<scratch>.float32.tmp` and `<scratch>.uint8.tmp` (removed after). */
  scratch: string;
  photos: readonly { file: FilePath; label: number }[];
  species: readonly (Species | null)[];
  backend: string;
  /** metadata.json of each trial export, by its precision. */
  metadataFor(quantized: boolean): (version: string) => object;
}

/**
 * The weights' precision: `probe` written once as float32 and once as uint8, each measured through
 * the model port on the photos; uint8 is chosen when it costs at most MAX_UINT8_TOP1_DROP of top-1.
 */
export async function choosePrecision(
  probe: Parameters<typeof writeModelDir>[1],
  trial: PrecisionTrial,
): Promise<{ quantized: boolean; measurements: Record<string, unknown> }> {
  const dirs = { float32: `${trial.scratch}.float32.tmp`, uint8: `${trial.scratch}.uint8.tmp` };
  try {
    const measure = async (quantize: boolean, dir: string) => {
      const written = await writeModelDir(dir, probe, { quantize, metadata: trial.metadataFor(quantize) });
      return {
        bytes: written.bytes,
        ...(await measureExport(written.dir, trial.photos, trial.species, trial.backend)),
      };
    };
    const float32 = await measure(false, dirs.float32);
    const uint8 = await measure(true, dirs.uint8);
    return { quantized: uint8.top1 >= float32.top1 - MAX_UINT8_TOP1_DROP, measurements: { float32, uint8 } };
  } finally {
    await rm(dirs.float32, { recursive: true, force: true });
    await rm(dirs.uint8, { recursive: true, force: true });
  }
}
