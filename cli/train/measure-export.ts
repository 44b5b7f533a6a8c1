import { readFile } from 'node:fs/promises';
import { classifyImage } from '../../shared/adapters/model/image-preprocess.js';
import { loadTfjsModel } from '../../shared/adapters/model/tfjs-model.js';
import type { Species } from '../../shared/ports/model.js';
import type { FilePath } from '../image-files.js';

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
