import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type FilePath, shownPath } from '../image-files.js';
import { type Backbone, embedBatch } from './backbone.js';
import type { EmbeddingCache } from './embedding-cache.js';
import { type View, viewInputs } from './views.js';

export interface Embedded {
  sha256: string;
  /** Per view, the pooled features. */
  views: Map<View, Float32Array>;
}

export interface EmbedProgress {
  done: number;
  total: number;
  cached: number;
  file: string;
}

export interface EmbedOptions {
  views: readonly View[];
  batchSize?: number;
  onProgress?: (progress: EmbedProgress) => void;
  /** Checked between batches: true stops cleanly, keeping what is cached. */
  stopRequested?: () => boolean;
}

export class EmbeddingInterrupted extends Error {
  override name = 'EmbeddingInterrupted';
}

/**
 * Features of every photo and view, from the cache where present, else through the backbone in
 * batches (and then cached). Results are in the order of `files`, whatever was cached.
 */
export async function embedAll(
  files: readonly FilePath[],
  backbone: Backbone,
  cache: EmbeddingCache,
  options: EmbedOptions,
): Promise<Embedded[]> {
  const size = backbone.featureSize;
  const batchSize = options.batchSize ?? 16;
  const results: Embedded[] = [];
  const pending: { index: number; view: View; input: Float32Array }[] = [];
  let done = 0;
  let cached = 0;

  const flush = async () => {
    if (pending.length === 0) return;
    const features = await embedBatch(
      backbone,
      pending.map((p) => p.input),
    );
    for (const [i, item] of pending.entries()) {
      const result = results[item.index] as Embedded;
      const vector = features[i] as Float32Array;
      result.views.set(item.view, vector);
      await cache.set(result.sha256, item.view, vector);
    }
    pending.length = 0;
  };

  for (const [index, file] of files.entries()) {
    if (options.stopRequested?.()) {
      await flush(); // the photos already decoded are worth keeping too
      throw new EmbeddingInterrupted('Interrupted; the cache keeps what was done.');
    }
    const bytes = await readFile(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const result: Embedded = { sha256, views: new Map() };
    results.push(result);
    const missing: View[] = [];
    for (const view of options.views) {
      const hit = await cache.get(sha256, view, size);
      if (hit) result.views.set(view, hit);
      else missing.push(view);
    }
    if (missing.length === 0) cached++;
    else {
      const inputs = await viewInputs(bytes, missing, backbone);
      for (const [view, input] of inputs) pending.push({ index, view, input });
      if (pending.length >= batchSize) await flush();
    }
    done++;
    options.onProgress?.({ done, total: files.length, cached, file: shownPath(file) });
  }
  await flush();
  return results;
}
