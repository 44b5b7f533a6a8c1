import { listImages, skippedLine } from '../image-files.js';
import { itemsBar } from '../progress.js';
import type { EvalModel } from './eval-model.js';
import { type LabelMap, labelMatcher } from './label-match.js';
import { type EvalRun, runEval } from './run-eval.js';
import { findLabelsCsv, type LabelledImage, labelImages, type TruthSource } from './truth-labels.js';
import { prepare, VARIANTS, type Variant } from './variants.js';

/** The photos to evaluate, labelled, read before the model loads so that a wrong folder fails fast. */
export interface EvalInput {
  folder: string;
  csv: string | undefined;
  images: LabelledImage[];
  from: Record<TruthSource, number>;
  nonPets?: { folder: string; images: LabelledImage[] };
}

export interface FolderRuns {
  csv: string | undefined;
  from: Record<TruthSource, number>;
  pets: EvalRun;
  nonPets?: { folder: string; run: EvalRun };
  /** With --variants: each variant of the pet photos the original run could read. */
  variants?: { variant: Variant; run: EvalRun }[];
  warnings: string[];
}

class EmptyFolderError extends Error {
  readonly code = 'NO_IMAGES';
  override name = 'EmptyFolderError';
}

async function unlabelled(folder: string): Promise<LabelledImage[]> {
  const files = await listImages(folder);
  if (files.length === 0) throw new EmptyFolderError(`${folder} holds no .jpg, .jpeg, .png or .webp file.`);
  return files.map(({ path: file, name }) => ({
    file,
    name,
    breed: undefined,
    species: undefined,
    from: 'none',
  }));
}

export async function readEvalInput(
  folder: string,
  labelsCsv: string | undefined,
  notPets: string | undefined,
): Promise<EvalInput> {
  const csv = findLabelsCsv(folder, labelsCsv);
  const images = await labelImages(folder, csv);
  if (images.length === 0) throw new EmptyFolderError(`${folder} holds no .jpg, .jpeg, .png or .webp file.`);
  const from: Record<TruthSource, number> = { csv: 0, folder: 0, name: 0, none: 0 };
  for (const image of images) from[image.from]++;
  const nonPets = notPets === undefined ? undefined : { folder: notPets, images: await unlabelled(notPets) };
  return { folder, csv, images, from, ...(nonPets ? { nonPets } : {}) };
}

async function runWithBar(
  model: EvalModel,
  images: LabelledImage[],
  label: string,
  targets: (i: LabelledImage) => string[],
  variant?: Variant,
) {
  const bar = itemsBar(images.length, label);
  try {
    return await runEval(model, images, targets, {
      onImage: (name) => bar.tick(name),
      onFailure: (image, failure) =>
        bar.log(`${skippedLine(image.file, failure)}${variant ? ` in the ${variant.id} variant` : ''}`),
      ...(variant ? { prepare: prepare(variant) } : {}),
    });
  } finally {
    bar.stop();
  }
}

/** Classifies the photos (the non-pets and the variants too, if asked) and says what looked wrong. */
export async function runEvalFolders(
  model: EvalModel,
  input: EvalInput,
  labelMap: LabelMap | undefined,
  withVariants = false,
): Promise<FolderRuns> {
  const targetsOf = labelMatcher(model.info.labels, labelMap);
  const pets = await runWithBar(model, input.images, 'evaluating', targetsOf);
  const nonPets = input.nonPets && {
    folder: input.nonPets.folder,
    run: await runWithBar(model, input.nonPets.images, 'not-pets', () => []),
  };
  const read = new Set(pets.observations.map((o) => o.name));
  const readable = input.images.filter((i) => read.has(i.name));
  const variants = [];
  for (const variant of withVariants ? VARIANTS : []) {
    variants.push({ variant, run: await runWithBar(model, readable, variant.id, targetsOf, variant) });
  }

  const warnings: string[] = [];
  if (input.from.none > 0) {
    warnings.push(
      `${input.from.none} photos have no label (not in the CSV, no folder, no Oxford-style name).`,
    );
  }
  const labelled = pets.observations.filter((o) => o.breed !== undefined);
  if (labelled.length > 0 && labelled.every((o) => o.targets.length === 0)) {
    warnings.push(
      "None of the true breeds is one of the model's labels: give --label-map to say which label counts for which breed.",
    );
  }
  return {
    csv: input.csv,
    from: input.from,
    pets,
    ...(nonPets ? { nonPets } : {}),
    ...(withVariants ? { variants } : {}),
    warnings,
  };
}
