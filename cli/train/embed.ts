import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DEFAULT_MAX_PIXELS } from '../../shared/adapters/model/image-preprocess.js';
import { checkImageBytes } from '../../shared/image/validate-image.js';
import { type FilePath, shownPath, type Unusable, unusableReason } from '../image-files.js';
import { type Backbone, embedBatch, requireTail } from './backbone.js';
import type { EmbeddingCache } from './embedding-cache.js';
import { type View, viewInputs } from './views.js';

export interface Embedded {
  sha256: string;
  /** Per view, the pooled features. */
  views: Map<View, Float32Array>;
  /** Per view, the backbone tail's input (only with `tail: true`: what fine-tuning trains on). */
  tails: Map<View, Float32Array>;
}

export interface EmbedProgress {
  done: number;
  total: number;
  cached: number;
  file: string;
}

/** A photo left out: it could not be read, or it is not an image the server would take. */
export interface Skipped extends Unusable {
  file: FilePath;
}

export interface EmbedOptions {
  views: readonly View[];
  /** Also the tail's input of every view (positions * channels floats each: 147 KB for MobileNet). */
  tail?: boolean;
  batchSize?: number;
  onProgress?: (progress: EmbedProgress) => void;
  onSkip?: (skipped: Skipped) => void;
  /** Checked between batches: true stops cleanly, keeping what is cached. */
  stopRequested?: () => boolean;
}

/** The cache key of a view's tail input, beside its pooled features. */
const tailKey = (view: View) => `${view}.tail`;

export class EmbeddingInterrupted extends Error {
  override name = 'EmbeddingInterrupted';
}

// Training takes what serving takes (JPEG, PNG, WebP, the pixel limit), whatever the file's size.
const LIMITS = { maxImageBytes: Number.POSITIVE_INFINITY, maxImagePixels: DEFAULT_MAX_PIXELS };

/**
 * Features of every photo and view, from the cache where present, else through the backbone in
 * batches (and then cached). Results are in the order of `files`, whatever was cached; a photo that
 * cannot be read or decoded is reported to onSkip and its result is undefined.
 */
export async function embedAll(
  files: readonly FilePath[],
  backbone: Backbone,
  cache: EmbeddingCache,
  options: EmbedOptions,
): Promise<(Embedded | undefined)[]> {
  const size = backbone.featureSize;
  const tail = options.tail ? requireTail(backbone) : undefined;
  const tailSize = tail ? tail.positions * tail.channels : 0;
  const batchSize = options.batchSize ?? 16;
  const results: (Embedded | undefined)[] = [];
  const pending: { index: number; view: View; input: Float32Array }[] = [];
  let done = 0;
  let cached = 0;

  const flush = async () => {
    if (pending.length === 0) return;
    const embeddings = await embedBatch(
      backbone,
      pending.map((p) => p.input),
      tailSize > 0,
    );
    for (const [i, item] of pending.entries()) {
      const result = results[item.index] as Embedded;
      const { pooled, tail } = embeddings[i] as { pooled: Float32Array; tail?: Float32Array };
      result.views.set(item.view, pooled);
      await cache.set(result.sha256, item.view, pooled);
      if (tail) {
        result.tails.set(item.view, tail);
        await cache.set(result.sha256, tailKey(item.view), tail);
      }
    }
    pending.length = 0;
  };

  /** The photo's hash, its cached views, and the inputs of the views still to compute. */
  const read = async (file: FilePath) => {
    const bytes = await readFile(file);
    checkImageBytes(bytes, undefined, LIMITS);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const result: Embedded = { sha256, views: new Map(), tails: new Map() };
    const missing: View[] = [];
    for (const view of options.views) {
      const hit = await cache.get(sha256, view, size);
      const tailHit = tailSize > 0 ? await cache.get(sha256, tailKey(view), tailSize) : undefined;
      if (hit && (tailSize === 0 || tailHit)) {
        result.views.set(view, hit);
        if (tailHit) result.tails.set(view, tailHit);
      } else missing.push(view);
    }
    return { result, inputs: missing.length === 0 ? undefined : await viewInputs(bytes, missing, backbone) };
  };

  for (const [index, file] of files.entries()) {
    if (options.stopRequested?.()) {
      await flush(); // the photos already decoded are worth keeping too
      throw new EmbeddingInterrupted('Interrupted; the cache keeps what was done.');
    }
    const photo = await read(file).catch((error: unknown) => {
      const why = unusableReason(error);
      if (!why) throw error;
      options.onSkip?.({ file, ...why });
      return undefined;
    });
    results.push(photo?.result);
    if (photo && !photo.inputs) cached++;
    for (const [view, input] of photo?.inputs ?? []) pending.push({ index, view, input });
    if (pending.length >= batchSize) await flush();
    done++;
    options.onProgress?.({ done, total: files.length, cached, file: shownPath(file) });
  }
  await flush();
  return results;
}
