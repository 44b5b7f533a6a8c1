import * as tf from '@tensorflow/tfjs';
import { ServiceUnavailableError } from '../../errors.js';
import type { Logger } from '../../ports/logger.js';
import type { Classification, DecodedImage, Model, ModelInfo } from '../../ports/model.js';
import { modelInput } from './image-preprocess.js';
import { ModelLoadError } from './model-errors.js';
import { readModelDir } from './model-files.js';
import {
  contentVersion,
  type ModelDescription,
  metadataJson,
  parseModelMetadata,
  toModelInfo,
} from './model-metadata.js';
import { type ModelSourceOptions, resolveModelSource } from './model-source.js';
import { likeliestSpecies, toProbabilities, topK } from './output-scores.js';
import { type BackendOptions, selectBackend } from './tfjs-backend.js';
import { loadNetwork, type Network } from './tfjs-network.js';

export interface LoadTfjsModelOptions extends ModelSourceOptions {
  /** MODEL_URI: a folder, s3://bucket/prefix, an http(s) URL of a model.json's folder, or 'mobilenet'. */
  uri: string;
  backend?: BackendOptions['preference'];
  wasmDir?: string;
  wasmThreads?: number;
  logger?: Pick<Logger, 'info'>;
}

export interface ModelStats {
  /** Resolving the source: downloading, or finding the download cache. */
  sourceMs: number;
  /** Backend start, reading the files and building the model. */
  loadMs: number;
  /** The first inference, which compiles kernels and allocates buffers. */
  warmupMs: number;
}

export interface TfjsModel extends Model {
  readonly stats: ModelStats;
}

/** Runs tasks one after another: a second inference would only wait for the same CPU anyway. */
function serialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}

function checkShapes(network: Network, description: ModelDescription, where: string): void {
  const [, height, width, channels] = network.inputShape;
  const [wantHeight, wantWidth] = description.inputSize;
  const fits = (declared: number | null | undefined, wanted: number) =>
    declared == null || declared < 0 || declared === wanted;
  if (!fits(height, wantHeight) || !fits(width, wantWidth) || !fits(channels, 3)) {
    throw new ModelLoadError(
      `${where}: the model takes input [${network.inputShape.join(', ')}], the metadata says ${wantHeight}x${wantWidth}x3.`,
    );
  }
}

/** Input-sized image of the model's shape, run through the network; returns each output, flattened. */
async function infer(network: Network, input: Float32Array, inputSize: readonly [number, number]) {
  const [height, width] = inputSize;
  // tidy frees the input and every intermediate; only the flattened outputs escape, freed below.
  const outputs = tf.tidy(() =>
    network.predict(tf.tensor4d(input, [1, height, width, 3])).map((output) => output.reshape([-1])),
  );
  try {
    return await Promise.all(outputs.map((output) => output.data()));
  } finally {
    for (const output of outputs) output.dispose();
  }
}

/** The model's output and metadata agree: one score per label, and the pet gate's output exists. */
function checkOutputs(outputs: ArrayLike<number>[], description: ModelDescription, where: string): void {
  const scores = outputs[0]?.length ?? 0;
  if (scores !== description.labels.length) {
    throw new ModelLoadError(
      `${where}: the model has ${scores} outputs but the metadata lists ${description.labels.length} labels.`,
    );
  }
  const gate = description.petGate;
  if (gate && outputs[gate.output]?.length !== 1) {
    throw new ModelLoadError(
      `${where}: metadata.json's petGate reads output ${gate.output}, which the model does not have as one number.`,
    );
  }
}

/**
 * The top labels, the species, the pet gate's verdict and whether the answer is unsure: below the
 * model's unsure level, or when the species (summed over each species' labels) is not the top label's
 * own, so that an answer never names a species its own top breed contradicts without saying unsure.
 */
export function toClassification(
  outputs: ArrayLike<number>[],
  description: ModelDescription,
  k: number,
): Classification {
  const probabilities = toProbabilities(outputs[0] ?? [], description.output);
  const scores = topK(probabilities, description.labels, k, description.species);
  const gate = description.petGate;
  const petScore = gate ? (outputs[gate.output]?.[0] ?? 0) : undefined;
  const species = likeliestSpecies(probabilities, description.species);
  const top = scores[0];
  const contradicted = species !== null && top?.species != null && top.species !== species;
  return {
    scores,
    species,
    ...(gate && petScore !== undefined
      ? { pet: { score: petScore, isPet: petScore >= gate.threshold } }
      : {}),
    unsure: (top?.confidence ?? 0) < (description.unsureBelow ?? 0) || contradicted,
  };
}

/**
 * Loads a TF.js image classifier from MODEL_URI, picks the backend and runs one warm-up inference
 * before returning, so the first request does not pay for kernel compilation.
 */
export async function loadTfjsModel(options: LoadTfjsModelOptions): Promise<TfjsModel> {
  const started = performance.now();
  const resolved = await resolveModelSource(options.uri, options);
  const sourced = performance.now();

  const backend = await selectBackend({
    preference: options.backend,
    wasmDir: options.wasmDir,
    wasmThreads: options.wasmThreads,
    logger: options.logger,
  });
  const files = await readModelDir(resolved.dir);
  const description =
    resolved.description ??
    parseModelMetadata(files.metadata ?? metadataJson(undefined, resolved.source), resolved.source);
  const version = contentVersion(files.rawFiles);
  const network = await loadNetwork(files, resolved.source);
  const loaded = performance.now();

  let info: ModelInfo;
  try {
    checkShapes(network, description, resolved.source);
    const probe = await infer(
      network,
      new Float32Array(description.inputSize[0] * description.inputSize[1] * 3),
      description.inputSize,
    );
    checkOutputs(probe, description, resolved.source);
    info = toModelInfo(description, {
      format: network.format,
      backend,
      source: resolved.source,
      contentVersion: version,
    });
  } catch (error) {
    network.dispose();
    throw error;
  }
  const stats = {
    sourceMs: sourced - started,
    loadMs: loaded - sourced,
    warmupMs: performance.now() - loaded,
  };
  options.logger?.info(
    { model: info.name, version: info.version, backend, workers: 0, format: info.format, ...stats },
    'model ready',
  );

  const queue = serialQueue();
  let disposed = false;
  return {
    info,
    stats,
    async classify(image: DecodedImage, k: number): Promise<Classification> {
      const input = modelInput(image, description);
      const outputs = await queue(async () => {
        if (disposed) throw new ServiceUnavailableError('NOT_READY', 'The model has been unloaded.');
        return infer(network, input, description.inputSize);
      });
      return toClassification(outputs, description, k);
    },
    async dispose(): Promise<void> {
      await queue(async () => {
        if (!disposed) network.dispose();
        disposed = true;
      });
    },
  };
}
