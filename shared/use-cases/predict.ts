import { createHash } from 'node:crypto';
import type { Core } from '../core.js';
import { checkDecodeCost, decodeCost } from '../image/decode-cost.js';
import { DecodeGate } from '../image/decode-gate.js';
import { decodeImage } from '../image/decode-image.js';
import { checkImageBytes, checkImageHeader } from '../image/validate-image.js';
import type { Logger } from '../ports/logger.js';
import type { BreedScore, Classification, Model } from '../ports/model.js';
import { throttledWarn } from '../warn-throttle.js';
import { cachedClassification, readCachedClassification } from './cached-classification.js';

export interface PredictInput {
  image: Buffer;
  contentType: string | undefined;
  topK: number;
}

/**
 * 'breed': the top prediction is the answer; 'unsure': a pet, but no breed stands out (below the
 * model's unsure level, or the species its breeds add up to is not the top breed's); 'not-a-pet': the model's pet gate found no cat or dog, and predictions is empty.
 */
export type Verdict = 'breed' | 'unsure' | 'not-a-pet';

export interface PredictOutput {
  predictions: { breed: string; confidence: number; species?: 'dog' | 'cat' | null }[];
  verdict: Verdict;
  /** The likeliest species over all breeds; null for not-a-pet or a model without species. */
  species: 'dog' | 'cat' | null;
  model: { name: string; version: string; untrained: boolean };
  imageSha256: string;
  cached: boolean;
}

/**
 * What predicting needs of the core; the CLI predicts locally with just these (no store, no identity).
 * `decodeGate` defaults to the process's own: memory is per process, so every core in it shares one.
 */
export type PredictDeps = Pick<Core, 'model' | 'cache' | 'limits' | 'cacheTtlSeconds' | 'logger'> & {
  decodeGate?: DecodeGate;
};

const processDecodeGate = new DecodeGate();

/** Identical images arriving together share one inference instead of queueing for the model twice. */
const inFlight = new Map<string, Promise<Classification>>();

export async function predict(core: PredictDeps, input: PredictInput): Promise<PredictOutput> {
  const model = core.model.get();
  checkImageBytes(input.image, input.contentType, core.limits);
  const imageSha256 = createHash('sha256').update(input.image).digest('hex');
  // The model version is part of the key: a new model must never serve an old model's answers.
  const key = `predict:${model.info.version}:${imageSha256}`;

  const hit = await core.cache.get(key);
  const cachedResult = hit === null ? undefined : fromCache(core, model, key, hit);
  const result = cachedResult ?? (await classifyOnce(core, model, key, input.image));
  const notAPet = result.pet?.isPet === false;
  return {
    predictions: notAPet ? [] : result.scores.slice(0, input.topK).map(toPrediction),
    verdict: notAPet ? 'not-a-pet' : result.unsure ? 'unsure' : 'breed',
    species: notAPet ? null : result.species,
    model: { name: model.info.name, version: model.info.version, untrained: model.info.untrained },
    imageSha256,
    cached: cachedResult !== undefined,
  };
}

/**
 * An entry that is not what classifyOnce writes for this model (corrupt, from an older format, or
 * planted by anyone who can write to Redis) is a miss: classified again and overwritten, never served.
 */
function fromCache(core: PredictDeps, model: Model, key: string, text: string): Classification | undefined {
  const read = readCachedClassification(text, model.info, core.limits.maxTopK);
  if ('value' in read) return read.value;
  cacheWarning(core.logger)({ key, reason: read.reason }, 'cached prediction rejected; classifying again');
  return undefined;
}

/** One warning a minute per logger (a runtime has one), however many requests meet bad entries. */
const cacheWarnings = new WeakMap<Logger, ReturnType<typeof throttledWarn>>();
function cacheWarning(logger: Logger): ReturnType<typeof throttledWarn> {
  let warn = cacheWarnings.get(logger);
  if (!warn) {
    warn = throttledWarn(logger, 60_000);
    cacheWarnings.set(logger, warn);
  }
  return warn;
}

async function classifyOnce(
  core: PredictDeps,
  model: Model,
  key: string,
  image: Buffer,
): Promise<Classification> {
  const pending = inFlight.get(key);
  if (pending) return pending;
  const run = (async () => {
    // The one parse of the image: the limits, the cost and the decode all go by this header.
    const header = await checkImageHeader(image, core.limits);
    const gate = core.decodeGate ?? processDecodeGate;
    const target = { inputSize: model.info.inputSize, resize: model.info.preprocessing.resize };
    const cost = decodeCost(header, target.inputSize, target.resize);
    checkDecodeCost(header, cost.bytes, gate.options.budgetBytes);
    const decoded = await gate.run(cost, () => decodeImage(image, header, target));
    // What the model does next costs the same for every image: a resize of the decoded window (at
    // most twice the model's input) and one inference.
    const result = await model.classify(decoded, core.limits.maxTopK);
    // The cache holds the longest list a caller may ask for; each answer is a slice of it.
    const entry = cachedClassification.safeEncode(result);
    if (entry.success) void core.cache.set(key, entry.data, core.cacheTtlSeconds);
    else cacheWarning(core.logger)({ key, reason: entry.error.message }, 'prediction not cacheable');
    return result;
  })();
  inFlight.set(key, run);
  try {
    return await run;
  } finally {
    inFlight.delete(key);
  }
}

function toPrediction(s: BreedScore): PredictOutput['predictions'][number] {
  return s.species === undefined
    ? { breed: s.label, confidence: s.confidence }
    : { breed: s.label, confidence: s.confidence, species: s.species };
}
