import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BackendPreference } from '../../shared/adapters/model/tfjs-backend.js';
import { selectBackend } from '../../shared/adapters/model/tfjs-backend.js';
import { shownPath } from '../image-files.js';
import { loadBackbone } from './backbone.js';
import { readDataset } from './dataset.js';
import type { EmbedProgress, Skipped } from './embed.js';
import { EmbeddingCache } from './embedding-cache.js';
import { accuracy, baselineProbabilities } from './evaluate.js';
import { buildServingModel, serialize, writeModelDir } from './export.js';
import { stackFeatures } from './features.js';
import { baseProbabilities, IMAGENET_PET_CLASSES } from './gate.js';
import { type TunedGate, tuneGate } from './gate-tuning.js';
import { headProbabilities, trainHead } from './head.js';
import { classWeights, initialHead } from './head-init.js';
import { buildLabelSet, OXFORD_IMAGENET_MAP, readLabelMap } from './labels.js';
import { measureExport } from './measure-export.js';
import { type HeadSettings, unsureLevel } from './settings.js';
import { stratifiedSplit } from './split.js';
import { embedUsable } from './usable-photos.js';
import { VIEWS, type View } from './views.js';

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
  /** Photos of other things, to choose the pet gate's threshold (tuned on every other one). */
  notPets?: string;
  seed: number;
  validationFraction: number;
  views: readonly View[];
  head: HeadSettings;
  /** 'auto' keeps uint8 weights when validation top-1 drops by at most one point. */
  quantize: 'auto' | 'always' | 'never';
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

  stage(`embedding ${dataset.examples.length} photos x ${options.views.length} views on ${backend}`);
  const skipped: Skipped[] = [];
  const onSkip = (photo: Skipped) => {
    skipped.push(photo);
    options.onSkip?.(photo);
  };
  const { examples, embedded } = await embedUsable(dataset.examples, labelSet, backbone, cache, {
    views: options.views,
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
  const counts = labelSet.labels.map((_, k) => trainRows.filter((i) => labels[i] === k).length);

  stage(`training the head on ${trainRows.length} photos (${validationRows.length} held out)`);
  const matrix = stackFeatures(embedded, labels, trainRows, options.views, backbone.featureSize);
  const init = initialHead(backbone.featureSize, labelSet.baseClass, backbone.classifier);
  const head = trainHead(matrix.features, matrix.labels, init, {
    ...options.head,
    classWeights: classWeights(counts, options.head.classWeightPower),
  });

  const center = (i: number) => embedded[i]?.views.get('center') ?? new Float32Array(backbone.featureSize);
  const validation = validationRows.map((i) => ({
    label: labels[i] ?? 0,
    probabilities: headProbabilities(head, center(i)),
  }));
  const validationReport = accuracy(validation, labelSet.species);
  const classifier = backbone.classifier;
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

  // The pet gate: the backbone's own probability mass on ImageNet's cats and dogs.
  let gate: TunedGate | undefined;
  if (classifier && classifier.classes === 1000) {
    stage('choosing the pet gate threshold');
    gate = await tuneGate(all.map(center), classifier, backbone, cache, options.notPets, onSkip);
  }

  const unsureBelow = unsureLevel(validation);
  const perLabel = labelSet.labels.map((label, k) => ({
    label,
    trainPhotos: counts[k] ?? 0,
    validationPhotos: validationReport.perLabel[k]?.total ?? 0,
    validationCorrect: validationReport.perLabel[k]?.correct ?? 0,
    baselineCorrect:
      labelSet.baseClass[k] === undefined ? null : (baselineReport?.perLabel[k]?.correct ?? null),
  }));
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
    },
    validation: {
      photos: validationRows.length,
      top1: round(validationReport.top1),
      top5: round(validationReport.top5),
      species: round(validationReport.species),
      knownLabelPhotos: knownRows.length,
      backboneAloneTop1OnKnownLabels: baselineReport ? round(baselineReport.top1) : null,
      headTop1OnKnownLabels: round(
        knownRows.filter((i) => {
          const p = headProbabilities(head, center(i));
          return p.indexOf(Math.max(...p)) === labels[i];
        }).length / Math.max(1, knownRows.length),
      ),
    },
    perLabel,
  };

  stage('exporting');
  const exported = await serialize(
    buildServingModel(backbone, head, gate ? IMAGENET_PET_CLASSES : undefined),
  );
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
    unsureBelow,
    provenance: {
      ...provenance,
      weights: quantized ? 'uint8 (bulk kernels)' : 'float32',
      ...(measured ? { exportsMeasured: measured } : {}),
      ...(gate ? { gateTuning: gate.tuning } : {}),
    },
  });

  // Every other validation photo: each export is measured through the real port, one photo at a time.
  const validationFiles = validationRows
    .filter((_, j) => j % 2 === 0)
    .map((i) => ({ file: examples[i]?.file ?? '', label: labels[i] ?? 0 }));
  let quantized = options.quantize !== 'never';
  const measurements: Record<string, unknown> = {};
  if (options.quantize === 'auto') {
    stage('measuring float32 and uint8 exports on the validation photos');
    const floatDir = `${options.out}.float32.tmp`;
    const uint8Dir = `${options.out}.uint8.tmp`;
    try {
      const float = await writeModelDir(floatDir, exported, {
        quantize: false,
        metadata: metadataFor(false),
      });
      const uint8 = await writeModelDir(uint8Dir, exported, { quantize: true, metadata: metadataFor(true) });
      const floatResult = await measureExport(float.dir, validationFiles, labelSet.species, backend);
      const uint8Result = await measureExport(uint8.dir, validationFiles, labelSet.species, backend);
      measurements.float32 = { bytes: float.bytes, ...floatResult };
      measurements.uint8 = { bytes: uint8.bytes, ...uint8Result };
      quantized = uint8Result.top1 >= floatResult.top1 - 0.01;
    } finally {
      await rm(floatDir, { recursive: true, force: true });
      await rm(uint8Dir, { recursive: true, force: true });
    }
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
      gate: gate ? { threshold: gate.threshold, ...gate.tuning } : null,
      unsureBelow,
      exports: measurements,
      bytes: written.bytes,
      perLabel,
      usedPhotos: examples.length,
      skipped: skipped.map(({ file, code, message }) => ({ file: shownPath(file), code, message })),
    },
  };
}

export const DEFAULT_VIEWS = VIEWS;
