import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BackendPreference } from '../../shared/adapters/model/tfjs-backend.js';
import { selectBackend } from '../../shared/adapters/model/tfjs-backend.js';
import { shownPath } from '../image-files.js';
import { loadBackbone } from './backbone.js';
import { readDataset } from './dataset.js';
import type { EmbedProgress, Skipped } from './embed.js';
import { embedAll } from './embed.js';
import { EmbeddingCache } from './embedding-cache.js';
import { accuracy, baselineProbabilities, calibrate, groupTop1, labelGroups } from './evaluate.js';
import { buildServingModel, serialize, writeModelDir } from './export.js';
import { fineTuning, fitModel } from './fit.js';
import { baseProbabilities, IMAGENET_PET_CLASSES } from './gate.js';
import { type TunedGate, tuneGate } from './gate-tuning.js';
import { headLogits, headProbabilities, scaledHead } from './head.js';
import { buildLabelSet, OXFORD_IMAGENET_MAP, readLabelMap } from './labels.js';
import { choosePrecision } from './measure-export.js';
import type { HeadSettings, TailSettings } from './settings.js';
import { stratifiedSplit } from './split.js';
import { pooledFeatures } from './tail.js';
import { embedUsable } from './usable-photos.js';
import type { View } from './views.js';

export interface TrainOptions {
  /** Folder of photos (sub-folders, Oxford names or a CSV inside), or a CSV. */
  data: string;
  csv?: string;
  /** Layers model folder of the backbone. */
  base: string;
  out: string;
  name: string;
  cacheDir: string;
  /** label,species,imagenet_index CSV; the Oxford-IIIT one by default. */
  labelMap?: string;
  /** Photos of other things, to choose the pet gate's threshold (on every other one); none, no gate. */
  notPets?: string;
  seed: number;
  validationFraction: number;
  views: readonly View[];
  head: HeadSettings;
  /** Fine-tune the backbone's last pointwise convolution with the head (cli/train/tail.ts); absent, the head alone. */
  fineTune?: TailSettings;
  /** 'auto' keeps uint8 weights when validation top-1 drops by at most half a point. */
  quantize: 'auto' | 'always' | 'never';
  /** True (the default): the shipped head is refitted on every photo with the settings measured. */
  refit?: boolean;
  /** Views measured on the validation photos (what phones send), not learnt from unless in `views`. */
  robustnessViews?: readonly View[];
  backend?: BackendPreference;
  onEmbedProgress?: (progress: EmbedProgress) => void;
  /** A photo left out, training or not-pet: it cannot be read or decoded. */
  onSkip?: (skipped: Skipped) => void;
  onStage?: (stage: string) => void;
  stopRequested?: () => boolean;
}

export interface TrainSummary {
  dir: string;
  version: string;
  quantized: boolean;
  report: Record<string, unknown>;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

async function sha256File(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

/** Runs the whole training: embeddings (cached), split, head, gate, export, measurement, metadata. */
export async function train(options: TrainOptions): Promise<TrainSummary> {
  const stage = options.onStage ?? (() => {});
  const backend = await selectBackend({ preference: options.backend ?? 'auto' });
  const dataset = await readDataset(options.data, options.csv);
  const labelMapFile = options.labelMap ?? OXFORD_IMAGENET_MAP;
  const labelSet = buildLabelSet(dataset.examples, await readLabelMap(labelMapFile));
  const backbone = await loadBackbone(options.base);
  const cache = new EmbeddingCache(options.cacheDir, backbone.version);
  const { fineTune, noFineTune } = fineTuning(backbone, options.fineTune);

  stage(`embedding ${dataset.examples.length} photos x ${options.views.length} views on ${backend}`);
  const skipped: Skipped[] = [];
  const onSkip = (photo: Skipped) => {
    skipped.push(photo);
    options.onSkip?.(photo);
  };
  const { examples, embedded } = await embedUsable(dataset.examples, labelSet, backbone, cache, {
    views: options.views,
    tail: fineTune !== undefined,
    onProgress: options.onEmbedProgress,
    onSkip,
    stopRequested: options.stopRequested,
  });
  const labels = examples.map((e) => labelSet.indexOf(e));
  const isValidation = stratifiedSplit(labels, {
    fraction: options.validationFraction,
    seed: options.seed,
    keys: embedded.map((e) => e.sha256),
  });
  const all = labels.map((_, i) => i);
  const trainRows = all.filter((i) => !isValidation[i]);
  const validationRows = all.filter((i) => isValidation[i]);
  const countsOf = (rows: readonly number[]) =>
    labelSet.labels.map((_, k) => rows.filter((i) => labels[i] === k).length);
  const counts = countsOf(trainRows);
  const groupsOfLabel = labelGroups(labelSet.species, labelSet.baseClass, countsOf(all));
  const classifier = backbone.classifier;
  const fitData = { backbone, embedded, labels, baseClass: labelSet.baseClass };
  const fitSettings = {
    views: options.views,
    head: options.head,
    fineTune,
    seed: options.seed,
  };
  const fitRows = (rows: readonly number[]) => {
    if (fineTune)
      stage(
        `fine-tuning the backbone's last pointwise convolution with the head (${fineTune.epochs} epochs)`,
      );
    return fitModel(fitData, rows, fitSettings);
  };

  stage(`training the head on ${trainRows.length} photos, measuring it on ${validationRows.length} held out`);
  const model = fitRows(trainRows);
  const measured = model.head;
  const center = (i: number) => embedded[i]?.views.get('center') ?? new Float32Array(backbone.featureSize);
  // What the measured model sees of each validation photo (through the tuned tail when there is one).
  const validationFeatures = pooledFeatures(
    validationRows.map((i) => embedded[i]),
    'center',
    model.tail,
  );
  const seenOf = new Map(validationRows.map((i, j) => [i, validationFeatures[j] as Float32Array]));
  const seen = (i: number) => seenOf.get(i) ?? center(i);
  const logits = validationRows.map((i) => ({
    label: labels[i] ?? 0,
    logits: headLogits(measured, seen(i)),
  }));
  // Calibration: the temperature and the unsure level are chosen on the validation photos.
  const {
    temperature,
    report: validationReport,
    unsure,
    ...calibrated
  } = calibrate(logits, labelSet.species, UNSURE_TARGET);
  const ece = { before: round(calibrated.eceBefore), after: round(calibrated.eceAfter) };

  // What the head makes of the validation photos as phones send them (views the head may not learn from).
  const robustness: Record<string, { top1: number; species: number }> = {};
  if (options.robustnessViews && options.robustnessViews.length > 0 && validationRows.length > 0) {
    stage(`measuring ${options.robustnessViews.join(', ')} on the validation photos`);
    const degraded = await embedAll(
      validationRows.map((i) => examples[i]?.file ?? ''),
      backbone,
      cache,
      {
        views: options.robustnessViews,
        tail: model.tail !== undefined,
        onSkip,
        stopRequested: options.stopRequested,
      },
    );
    for (const view of options.robustnessViews) {
      const viewed = pooledFeatures(degraded, view, model.tail);
      const scored = validationRows.flatMap((i, j) => {
        const features = viewed[j];
        return features
          ? [{ label: labels[i] ?? 0, probabilities: headProbabilities(measured, features, temperature) }]
          : [];
      });
      const report = accuracy(scored, labelSet.species);
      robustness[view] = { top1: round(report.top1), species: round(report.species) };
    }
  }

  // Only photos of labels the backbone knows: on the others it cannot be right by construction.
  const knownRows = validationRows.filter((i) => labelSet.baseClass[labels[i] ?? 0] !== undefined);
  const baselineReport = classifier
    ? accuracy(
        knownRows.map((i) => ({
          label: labels[i] ?? 0,
          probabilities: baselineProbabilities(baseProbabilities(classifier, center(i)), labelSet.baseClass),
        })),
        labelSet.species,
      )
    : undefined;

  // The pet gate: the backbone's own probability mass on ImageNet's cats and dogs, chosen against
  // photos of other things; without them there is nothing to choose it on, and no gate is written.
  let gate: TunedGate | undefined;
  let noGate: string | undefined;
  if (classifier?.classes !== 1000) noGate = 'the backbone has no ImageNet classifier';
  else if (!options.notPets) noGate = 'no photos of other things given (--not-pets)';
  else {
    stage('choosing the pet gate threshold');
    const gatePet = (i: number) => ({
      name: path.basename(shownPath(examples[i]?.file ?? '')),
      features: center(i),
    });
    gate = await tuneGate(
      { tuning: trainRows.map(gatePet), heldOut: validationRows.map(gatePet) },
      classifier,
      backbone,
      cache,
      options.notPets,
      onSkip,
    );
  }

  // The shipped head: the same settings refitted on every photo (few-shot breeds need all of theirs),
  // its logits divided by the temperature so that the exported softmax is the calibrated one.
  const refit = options.refit ?? true;
  if (refit) stage(`refitting the head on all ${all.length} photos`);
  const final = refit ? fitRows(all) : model;
  const shipped = scaledHead(final.head, temperature);

  const perLabel = labelSet.labels.map((label, k) => ({
    label,
    trainPhotos: (refit ? countsOf(all) : counts)[k] ?? 0,
    validationPhotos: validationReport.perLabel[k]?.total ?? 0,
    validationCorrect: validationReport.perLabel[k]?.correct ?? 0,
    baselineCorrect:
      labelSet.baseClass[k] === undefined ? null : (baselineReport?.perLabel[k]?.correct ?? null),
  }));
  const trained = fineTune ? 'head and fine-tuned last pointwise convolution' : 'head';
  const imageHashes = createHash('sha256');
  for (const e of [...embedded].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1))) imageHashes.update(e.sha256);
  const provenance = {
    trainedBy: 'pettracker train',
    data: {
      folder: path.basename(path.resolve(options.data)),
      labelsFrom: dataset.labelSource,
      photos: examples.length,
      // A count, not names: the model folder may be shared, the paths of its maker's files need not be.
      ...(examples.length < dataset.examples.length
        ? { skippedPhotos: dataset.examples.length - examples.length }
        : {}),
      photosSha256: imageHashes.digest('hex'),
    },
    backbone: { folder: path.basename(path.resolve(options.base)), version: backbone.version },
    labelMap: { file: path.basename(labelMapFile), sha256: await sha256File(labelMapFile) },
    settings: {
      seed: options.seed,
      validationFraction: options.validationFraction,
      views: options.views,
      ...options.head,
      ...(fineTune ? { fineTune } : {}),
      refit,
    },
    validation: {
      about: refit
        ? `The ${trained} fitted on the training split, measured on the validation split; the shipped ${trained} is the same settings refitted on every photo.`
        : `The shipped ${trained}, fitted on the training split, measured on the validation split.`,
      photos: validationRows.length,
      top1: round(validationReport.top1),
      top3: round(validationReport.top3),
      top5: round(validationReport.top5),
      species: round(validationReport.species),
      groups: Object.fromEntries(
        Object.entries(groupTop1(validationReport, groupsOfLabel)).map(([id, g]) => [
          id,
          { photos: g.photos, top1: round(g.top1) },
        ]),
      ),
      ece,
      ...(Object.keys(robustness).length > 0 ? { robustness } : {}),
      knownLabelPhotos: knownRows.length,
      backboneAloneTop1OnKnownLabels: baselineReport ? round(baselineReport.top1) : null,
      headTop1OnKnownLabels: round(
        knownRows.filter((i) => {
          const p = headProbabilities(measured, seen(i));
          return p.indexOf(Math.max(...p)) === labels[i];
        }).length / Math.max(1, knownRows.length),
      ),
    },
    calibration: {
      temperature,
      about:
        `Temperature fitted on the ${validationRows.length} validation photos (least negative log-likelihood) and divided into the head's weights; ` +
        `unsureBelow is the lowest level at which the validation answers saying "breed" are right at least ${UNSURE_TARGET * 100} % of the time` +
        (unsure.reached ? '.' : ' (no level reached it: the highest candidate).'),
      unsureBelow: unsure,
    },
    perLabel,
  };

  stage('exporting');
  const petClasses = gate ? IMAGENET_PET_CLASSES : undefined;
  const exported = await serialize(buildServingModel(backbone, shipped, petClasses, final.tail));
  const metadataFor = (quantized: boolean, measured?: object) => (version: string) => ({
    name: options.name,
    version,
    labels: labelSet.labels,
    species: labelSet.species,
    inputSize: backbone.inputSize,
    resize: backbone.preprocessing.resize,
    normalization: { scale: backbone.preprocessing.scale, offset: backbone.preprocessing.offset },
    output: 'probabilities',
    untrained: false,
    ...(gate ? { petGate: { output: 1, threshold: gate.threshold, about: gate.about } } : {}),
    unsureBelow: unsure.level,
    provenance: {
      ...provenance,
      weights: quantized ? 'uint8 (bulk kernels)' : 'float32',
      ...(measured ? { exportsMeasured: measured } : {}),
      ...(gate ? { gateTuning: { ...gate.tuning, heldOut: gate.heldOut } } : { gate: `none: ${noGate}` }),
    },
  });

  // The weights' precision is chosen on the validation photos, through the real port one photo at a
  // time, with the head that has not seen them (the one fitted on the training split).
  const validationFiles = validationRows.map((i) => ({
    file: examples[i]?.file ?? '',
    label: labels[i] ?? 0,
  }));
  let quantized = options.quantize !== 'never';
  let measurements: Record<string, unknown> = {};
  if (options.quantize === 'auto' && validationFiles.length > 0) {
    stage(`measuring float32 and uint8 exports on the ${validationFiles.length} validation photos`);
    const probe = refit
      ? await serialize(
          buildServingModel(backbone, scaledHead(measured, temperature), petClasses, model.tail),
        )
      : exported;
    ({ quantized, measurements } = await choosePrecision(probe, {
      scratch: options.out,
      photos: validationFiles,
      species: labelSet.species,
      backend,
      metadataFor,
    }));
  }
  const written = await writeModelDir(options.out, exported, {
    quantize: quantized,
    // Accuracy and size only: timings differ run to run, and the same data must give the same files.
    metadata: metadataFor(
      quantized,
      Object.keys(measurements).length > 0
        ? Object.fromEntries(
            Object.entries(measurements).map(([k, v]) => [k, { ...(v as object), p50Ms: undefined }]),
          )
        : undefined,
    ),
  });
  return {
    dir: written.dir,
    version: written.version,
    quantized,
    report: {
      backend,
      ...provenance.validation,
      refit,
      fineTune: fineTune ?? null,
      noFineTune,
      gate: gate
        ? { threshold: gate.threshold, ...gate.tuning, heldOut: gate.heldOut, failures: gate.failures }
        : null,
      noGate: noGate ?? null,
      temperature,
      unsureBelow: unsure.level,
      unsure,
      exports: measurements,
      bytes: written.bytes,
      perLabel,
      usedPhotos: examples.length,
      skipped: skipped.map(({ file, code, message }) => ({ file: shownPath(file), code, message })),
    },
  };
}

/** The views the head learns from by default (chosen on validation: see docs/models.md). */
export const DEFAULT_VIEWS: readonly View[] = ['center', 'flip', 'small', 'grey'];

/** The robustness views the command measures on the validation photos by default. */
export const ROBUSTNESS_VIEWS: readonly View[] = ['down96', 'grey', 'jpeg20'];

/** Share a `breed` verdict must be right on validation: what unsureBelow is chosen for. */
export const UNSURE_TARGET = 0.95;
