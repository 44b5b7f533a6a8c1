import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { DownloadProgress } from '../../shared/adapters/model/model-download.js';
import { parseModelMetadata } from '../../shared/adapters/model/model-metadata.js';
import { resolveModelSource } from '../../shared/adapters/model/model-source.js';
import type { Config } from '../../shared/config.js';
import type { ModelInfo, Species } from '../../shared/ports/model.js';
import type { PredictOutput } from '../../shared/use-cases/predict.js';
import { localPredictor } from '../predictors.js';
import { labelKey } from '../train/labels.js';

/** The model under evaluation: what it is, and the predict use case the API runs over it. */
export interface EvalModel {
  info: ModelInfo;
  /** Species per label, from the model's metadata; undefined when it maps none. */
  labelSpecies: readonly (Species | null)[] | undefined;
  /** Whether the model carries a not-a-pet gate; without one, every answer names a breed. */
  hasGate: boolean;
  /** Training photos per label (keyed by labelKey), from the provenance `pettracker train` writes. */
  trainPhotos: ReadonlyMap<string, number> | undefined;
  predict(image: Buffer, topK: number): Promise<PredictOutput>;
  close(): Promise<void>;
}

/**
 * The model as `pettracker predict` loads it (localPredictor: loadTfjsModel's source resolution,
 * backend choice, preprocessing and warm-up, behind the API's own predict use case), so the figures are
 * the service's, not a re-implementation's; plus what the report needs from its metadata.
 */
export async function openEvalModel(
  uri: string,
  config: Config,
  onProgress: (progress: DownloadProgress) => void,
): Promise<EvalModel> {
  const predictor = await localPredictor(uri, config, onProgress);
  try {
    const { description, provenance } = await modelMetadata(uri, {
      cacheDir: config.model.cacheDir,
      onProgress,
    });
    return {
      ...predictor,
      labelSpecies: labelSpecies(predictor.info, description),
      hasGate: description?.petGate !== undefined,
      trainPhotos: trainPhotos(provenance),
    };
  } catch (error) {
    await predictor.close();
    throw error;
  }
}

/** The species the loaded model reports; else those of the preset or the metadata.json the loader read. */
function labelSpecies(
  info: ModelInfo,
  metadata: { species: readonly (Species | null)[] | undefined } | undefined,
): readonly (Species | null)[] | undefined {
  return info.species ?? metadata?.species;
}

async function modelMetadata(uri: string, options: Parameters<typeof resolveModelSource>[1]) {
  const resolved = await resolveModelSource(uri, options);
  if (resolved.description) return { description: resolved.description, provenance: undefined };
  const text = await readFile(path.join(resolved.dir, 'metadata.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return { description: undefined, provenance: undefined };
  const json = JSON.parse(text) as { provenance?: unknown };
  return { description: parseModelMetadata(json, resolved.source), provenance: json.provenance };
}

const perLabelSchema = z.object({
  perLabel: z.array(z.object({ label: z.string(), trainPhotos: z.number().int().nonnegative() })),
});

/** provenance.perLabel[].trainPhotos; undefined for a model that does not say (not trained here). */
function trainPhotos(provenance: unknown): Map<string, number> | undefined {
  const parsed = perLabelSchema.safeParse(provenance);
  if (!parsed.success) return undefined;
  return new Map(parsed.data.perLabel.map((l) => [labelKey(l.label), l.trainPhotos]));
}
