import type { Backbone } from './backbone.js';
import { DatasetError, type Example } from './dataset.js';
import { type Embedded, type EmbedOptions, embedAll } from './embed.js';
import type { EmbeddingCache } from './embedding-cache.js';
import type { LabelSet } from './labels.js';

/**
 * Embeds the training photos and keeps those that could be used (embedAll reports the others to
 * onSkip). A label left with no photo fails the run, naming the label: training without it would
 * give a model that silently lacks a breed.
 */
export async function embedUsable(
  examples: readonly Example[],
  labelSet: LabelSet,
  backbone: Backbone,
  cache: EmbeddingCache,
  options: EmbedOptions,
): Promise<{ examples: Example[]; embedded: Embedded[] }> {
  const results = await embedAll(
    examples.map((e) => e.file),
    backbone,
    cache,
    options,
  );
  const usable = examples.flatMap((example, i) => {
    const features = results[i];
    return features ? [{ example, features }] : [];
  });
  const present = new Set(usable.map((u) => labelSet.indexOf(u.example)));
  const empty = labelSet.labels.filter((_, k) => !present.has(k));
  if (empty.length > 0) {
    throw new DatasetError(
      `no usable photo of ${empty.join(', ')}: every one was skipped (named above); fix or replace them, or leave the breed out.`,
    );
  }
  return { examples: usable.map((u) => u.example), embedded: usable.map((u) => u.features) };
}
