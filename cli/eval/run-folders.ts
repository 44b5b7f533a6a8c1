import path from 'node:path';
import { itemsBar } from '../progress.js';
import type { EvalModel } from './eval-model.js';
import { type LabelMap, labelMatcher } from './label-match.js';
import { type EvalRun, runEval } from './run-eval.js';
import {
  findLabelsCsv,
  type LabelledImage,
  labelImages,
  listImages,
  type TruthSource,
} from './truth-labels.js';

export interface FolderOptions {
  folder: string;
  labelsCsv: string | undefined;
  labelMap: LabelMap | undefined;
  notPets: string | undefined;
}

export interface FolderRuns {
  csv: string | undefined;
  from: Record<TruthSource, number>;
  pets: EvalRun;
  nonPets?: { folder: string; run: EvalRun };
  warnings: string[];
}

class EmptyFolderError extends Error {
  readonly code = 'NO_IMAGES';
  override name = 'EmptyFolderError';
}

async function runWithBar(
  model: EvalModel,
  images: LabelledImage[],
  label: string,
  targets: (i: LabelledImage) => string[],
) {
  const bar = itemsBar(images.length, label);
  try {
    return await runEval(model, images, targets, (name) => bar.tick(name));
  } finally {
    bar.stop();
  }
}

/** Labels the photos, classifies them (and the non-pets, if given) and says what looked wrong. */
export async function runEvalFolders(model: EvalModel, options: FolderOptions): Promise<FolderRuns> {
  const csv = findLabelsCsv(options.folder, options.labelsCsv);
  const images = await labelImages(options.folder, csv);
  if (images.length === 0)
    throw new EmptyFolderError(`${options.folder} holds no .jpg, .jpeg, .png or .webp file.`);
  const from: Record<TruthSource, number> = { csv: 0, folder: 0, name: 0, none: 0 };
  for (const image of images) from[image.from]++;

  const targetsOf = labelMatcher(model.info.labels, options.labelMap);
  const pets = await runWithBar(model, images, 'evaluating', targetsOf);

  let nonPets: FolderRuns['nonPets'];
  if (options.notPets !== undefined) {
    const files = await listImages(options.notPets);
    const unlabelled = files.map(
      (file): LabelledImage => ({
        file,
        name: path
          .relative(options.notPets as string, file)
          .split(path.sep)
          .join('/'),
        breed: undefined,
        species: undefined,
        from: 'none',
      }),
    );
    nonPets = { folder: options.notPets, run: await runWithBar(model, unlabelled, 'not-pets', () => []) };
  }

  const warnings: string[] = [];
  if (from.none > 0)
    warnings.push(`${from.none} photos have no label (not in the CSV, no folder, no Oxford-style name).`);
  const labelled = pets.observations.filter((o) => o.breed !== undefined);
  if (labelled.length > 0 && labelled.every((o) => o.targets.length === 0)) {
    warnings.push(
      "None of the true breeds is one of the model's labels: give --label-map to say which label counts for which breed.",
    );
  }
  return { csv, from, pets, ...(nonPets ? { nonPets } : {}), warnings };
}
