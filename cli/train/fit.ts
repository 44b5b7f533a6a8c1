import { type Backbone, NO_TAIL, requireTail } from './backbone.js';
import type { Embedded } from './embed.js';
import { stackFeatures } from './features.js';
import { type Head, trainHead } from './head.js';
import { classWeights, initialHead } from './head-init.js';
import type { HeadSettings, TailSettings } from './settings.js';
import { frozenTail, type TunedTail, trainTail } from './tail.js';
import type { View } from './views.js';

/** What training makes: the head, and the fine-tuned tail of the backbone when asked for. */
export interface Fitted {
  head: Head;
  tail?: TunedTail;
}

export interface FitData {
  backbone: Backbone;
  embedded: readonly Embedded[];
  labels: readonly number[];
  /** Per label, the backbone class its head column starts from (cli/train/labels.ts). */
  baseClass: readonly (number | undefined)[];
}

export interface FitSettings {
  views: readonly View[];
  head: HeadSettings;
  fineTune?: TailSettings;
  seed: number;
}

/**
 * The fine-tuning a run gets: what was asked when the backbone has MobileNet's conv 1x1 -> batch
 * norm -> ReLU6 under its pooling; else none, and why (for the summary).
 */
export function fineTuning(
  backbone: Backbone,
  asked: TailSettings | undefined,
): { fineTune?: TailSettings; noFineTune: string | null } {
  if (!asked) return { noFineTune: '--fine-tune 0' };
  if (!backbone.tail) return { noFineTune: NO_TAIL };
  return { fineTune: asked, noFineTune: null };
}

/**
 * The head on the frozen pooled features (full batch), then, with `fineTune`, the backbone's last
 * pointwise convolution and that head together (mini-batches, from the cached tail inputs), on the
 * given rows and every view of them.
 */
export function fitModel(data: FitData, rows: readonly number[], settings: FitSettings): Fitted {
  const { backbone, embedded, labels, baseClass } = data;
  const counts = baseClass.map((_, k) => rows.filter((i) => labels[i] === k).length);
  const weights = classWeights(counts, settings.head.classWeightPower);
  const matrix = stackFeatures(embedded, labels, rows, settings.views, backbone.featureSize);
  const init = initialHead(backbone.featureSize, baseClass, backbone.classifier);
  const head = trainHead(matrix.features, matrix.labels, init, { ...settings.head, classWeights: weights });
  if (!settings.fineTune) return { head };
  const start = frozenTail(requireTail(backbone), settings.fineTune.rank);
  const inputs: Float32Array[] = [];
  const inputLabels: number[] = [];
  for (const i of rows) {
    for (const view of settings.views) {
      const input = embedded[i]?.tails.get(view);
      if (!input) continue;
      inputs.push(input);
      inputLabels.push(labels[i] ?? 0);
    }
  }
  return trainTail(start, inputs, Int32Array.from(inputLabels), {
    settings: settings.fineTune,
    head: { ...head, anchored: init.anchored },
    pull: settings.head.pull,
    decay: settings.head.decay,
    classWeights: weights,
    seed: settings.seed,
  });
}
