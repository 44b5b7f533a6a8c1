/**
 * `npx tsx scripts/train-ablation.ts [--only a,b] [--dev DIR]`: what each training choice is worth.
 * Every setting below is fitted on the pets-train training split and measured on its validation split
 * (top-1, top-3, species, per group of cli/breed-groups.ts, ECE after temperature scaling, and the
 * robustness views); with --dev, it is also refitted on every training photo and measured on a folder
 * of labelled photos (labels.csv) that is only ever evaluated, never chosen on. One JSON line per
 * setting on stdout. The features come from the embedding cache that `npm run train` fills.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FilePath } from '../cli/image-files.js';
import { loadBackbone } from '../cli/train/backbone.js';
import { expectedCalibrationError, fitTemperature } from '../cli/train/confidence.js';
import { readDataset } from '../cli/train/dataset.js';
import { type Embedded, embedAll } from '../cli/train/embed.js';
import { EmbeddingCache } from '../cli/train/embedding-cache.js';
import { accuracy, answers, groupTop1, labelGroups, type Scored } from '../cli/train/evaluate.js';
import { type Fitted, fitModel } from '../cli/train/fit.js';
import { type Head, headLogits, softmax } from '../cli/train/head.js';
import { buildLabelSet, OXFORD_IMAGENET_MAP, readLabelMap } from '../cli/train/labels.js';
import { DEFAULT_TAIL, type HeadSettings, type TailSettings } from '../cli/train/settings.js';
import { stratifiedSplit } from '../cli/train/split.js';
import { pooledFeatures } from '../cli/train/tail.js';
import type { View } from '../cli/train/views.js';
import { selectBackend } from '../shared/adapters/model/tfjs-backend.js';

const TESTDATA = path.resolve('../shared/testdata');
const MEASURED: readonly View[] = ['center', 'down96', 'grey', 'jpeg20'];

interface Setting {
  name: string;
  views: readonly View[];
  head: HeadSettings;
  fineTune?: TailSettings;
}

// The settings of the model this replaced (150 steps, pull 0.01; views centre + mirror + 80 % crop),
// written out: DEFAULT_HEAD is what they led to.
const before: HeadSettings = {
  epochs: 150,
  learningRate: 0.01,
  pull: 0.01,
  decay: 0.001,
  classWeightPower: 1,
};
const flip: readonly View[] = ['center', 'flip'];
const setting = (
  name: string,
  views: readonly View[],
  head: Partial<HeadSettings> = {},
  fineTune?: Partial<TailSettings>,
): Setting => ({
  name,
  views,
  head: { ...before, epochs: 400, ...head },
  ...(fineTune ? { fineTune: { ...DEFAULT_TAIL, ...fineTune } } : {}),
});
const shipped: readonly View[] = [...flip, 'small', 'grey'];
const tuned: Partial<HeadSettings> = { pull: 0.001 };
const held: Partial<TailSettings> = { epochs: 3, learningRate: 0.001, headRate: 0 };
const SETTINGS: Setting[] = [
  setting('before (150 steps, centre+flip+zoom80)', [...flip, 'zoom80'], { epochs: 150 }),
  setting('centre only, 150 steps', ['center'], { epochs: 150 }),
  setting('centre+flip, 150 steps', flip, { epochs: 150 }),
  setting('centre+flip', flip),
  setting('centre+flip+zoom80', [...flip, 'zoom80']),
  setting('centre+flip, pull 0.001', flip, { pull: 0.001 }),
  setting('centre+flip, pull 0.1', flip, { pull: 0.1 }),
  setting('centre+flip, decay 0.0001', flip, { decay: 0.0001 }),
  setting('centre+flip, decay 0.01', flip, { decay: 0.01 }),
  setting('centre+flip, 800 steps', flip, { epochs: 800 }),
  setting('centre+flip+small', [...flip, 'small']),
  setting('centre+flip+grey', [...flip, 'grey']),
  setting('centre+flip+jpeg20', [...flip, 'jpeg20']),
  setting('centre+flip+small+grey', [...flip, 'small', 'grey']),
  setting('centre+flip+small+grey+jpeg20', [...flip, 'small', 'grey', 'jpeg20']),
  setting('centre+flip+small+grey, pull 0.001 (DEFAULT_HEAD, shipped)', [...flip, 'small', 'grey'], {
    pull: 0.001,
  }),
  setting('centre+flip+small+grey+jpeg20, pull 0.001', [...flip, 'small', 'grey', 'jpeg20'], { pull: 0.001 }),
  // Fine-tuning the backbone's last pointwise convolution with (or under) the shipped head.
  setting('shipped + fine-tune rank 16, lr 0.0003, 4 epochs', shipped, tuned, { learningRate: 0.0003 }),
  setting('shipped + fine-tune rank 16, lr 0.0001, 4 epochs', shipped, tuned, { learningRate: 0.0001 }),
  setting('shipped + fine-tune rank 16, head held, lr 0.001, 3 epochs', shipped, tuned, held),
  setting('shipped + fine-tune norm only, head held, lr 0.001, 3 epochs', shipped, tuned, {
    ...held,
    rank: 0,
  }),
  setting('shipped + fine-tune rank 4, head at 0.1, lr 0.0003, 2 epochs', shipped, tuned, {
    rank: 4,
    epochs: 2,
    learningRate: 0.0003,
    headRate: 0.1,
  }),
  setting('shipped + fine-tune rank 16, head at 0.1, update decay 30, 2 epochs', shipped, tuned, {
    epochs: 2,
    headRate: 0.1,
    decay: 30,
  }),
  setting('shipped+jpeg20 + fine-tune rank 16, lr 0.0001, 4 epochs', [...shipped, 'jpeg20'], tuned, {
    learningRate: 0.0001,
  }),
  setting('centre+flip+small+grey+down96, pull 0.001', [...shipped, 'down96'], tuned),
  setting('centre+flip+small+grey+down96+jpeg20, pull 0.001', [...shipped, 'down96', 'jpeg20'], tuned),
];

const round = (x: number) => Math.round(x * 1000) / 10;

const { values } = parseArgs({
  options: { only: { type: 'string' }, dev: { type: 'string' }, list: { type: 'boolean' } },
});
if (values.list) {
  for (const [i, s] of SETTINGS.entries()) console.log(i, s.name);
  process.exit(0);
}
const chosen = values.only ? values.only.split(',').map((i) => SETTINGS[Number(i)] as Setting) : SETTINGS;

await selectBackend({ preference: 'wasm' });
const dataset = await readDataset(path.join(TESTDATA, 'pets-train'));
const labelSet = buildLabelSet(dataset.examples, await readLabelMap(OXFORD_IMAGENET_MAP));
const backbone = await loadBackbone(path.join(TESTDATA, 'models/mobilenet_v1_0.75_224'));
const cache = new EmbeddingCache('.cache/embeddings', backbone.version);
const learnt = [...new Set(chosen.flatMap((s) => s.views))];
// The tail inputs (147 KB a photo and view) only when a setting fine-tunes.
const tail = chosen.some((s) => s.fineTune);
const embed = async (files: readonly FilePath[], views: readonly View[]) =>
  (await embedAll(files, backbone, cache, { views, tail })) as Embedded[];
const embedded = await embed(
  dataset.examples.map((e) => e.file),
  learnt,
);
const labels = dataset.examples.map((e) => labelSet.indexOf(e));
const isValidation = stratifiedSplit(labels, {
  fraction: 0.15,
  seed: 1,
  keys: embedded.map((e) => e.sha256),
});
const all = labels.map((_, i) => i);
const trainRows = all.filter((i) => !isValidation[i]);
const validationRows = all.filter((i) => isValidation[i]);
// The robustness views are measured on the validation photos only.
const measuredViews = await embed(
  validationRows.map((i) => dataset.examples[i]?.file ?? ''),
  MEASURED,
);
validationRows.forEach((i, j) => {
  for (const [view, features] of measuredViews[j]?.views ?? []) embedded[i]?.views.set(view, features);
  for (const [view, input] of measuredViews[j]?.tails ?? []) embedded[i]?.tails.set(view, input);
});
const countsOf = (rows: readonly number[]) =>
  labelSet.labels.map((_, k) => rows.filter((i) => labels[i] === k).length);
const groupsOfLabel = labelGroups(labelSet.species, labelSet.baseClass, countsOf(all));

let dev: { labels: number[]; embedded: Embedded[] } | undefined;
if (values.dev) {
  const devSet = await readDataset(values.dev, path.join(values.dev, 'labels.csv'));
  const devEmbedded = await embed(
    devSet.examples.map((e) => e.file),
    MEASURED,
  );
  dev = { labels: devSet.examples.map((e) => labelSet.indexOf(e)), embedded: devEmbedded };
}

const fitSetting = (setting: Setting, rows: readonly number[]): Fitted =>
  fitModel({ backbone, embedded, labels, baseClass: labelSet.baseClass }, rows, { ...setting, seed: 1 });

/** Each photo's features per measured view, as the fitted model sees them (through its tail if tuned). */
function viewedBy(model: Fitted, photos: readonly (Embedded | undefined)[]) {
  const byView = new Map(MEASURED.map((view) => [view, pooledFeatures(photos, view, model.tail)]));
  return (j: number, view: View) => byView.get(view)?.[j];
}

function measure(
  head: Head,
  rowLabels: readonly number[],
  features: (j: number, view: View) => Float32Array | undefined,
  temperature?: number,
) {
  const out: Record<string, unknown> = {};
  const scoredOf = (view: View, t: number): Scored[] =>
    rowLabels.flatMap((label, j) => {
      const f = features(j, view);
      return f ? [{ label, probabilities: softmax(headLogits(head, f), t) }] : [];
    });
  const centre = rowLabels.map((label, j) => ({
    label,
    logits: headLogits(head, features(j, 'center') as Float32Array),
  }));
  const t = temperature ?? fitTemperature(centre);
  const scored = scoredOf('center', t);
  const report = accuracy(scored, labelSet.species);
  out.n = scored.length;
  out.top1 = round(report.top1);
  out.top3 = round(report.top3);
  out.species = round(report.species);
  out.groups = Object.fromEntries(
    Object.entries(groupTop1(report, groupsOfLabel)).map(([id, g]) => [id, `${round(g.top1)} (${g.photos})`]),
  );
  out.temperature = t;
  out.eceBefore = round(expectedCalibrationError(answers(scoredOf('center', 1), labelSet.species)));
  out.ece = round(expectedCalibrationError(answers(scored, labelSet.species)));
  for (const view of MEASURED.slice(1)) out[view] = round(accuracy(scoredOf(view, t), labelSet.species).top1);
  return out;
}

for (const setting of chosen) {
  const started = performance.now();
  const model = fitSetting(setting, trainRows);
  const validation = measure(
    model.head,
    validationRows.map((i) => labels[i] ?? 0),
    viewedBy(
      model,
      validationRows.map((i) => embedded[i]),
    ),
  );
  const line: Record<string, unknown> = { setting: setting.name, validation };
  if (dev) {
    const d = dev;
    const refit = fitSetting(setting, all);
    line.devRefit = measure(
      refit.head,
      d.labels,
      viewedBy(refit, d.embedded),
      validation.temperature as number,
    );
    line.devSplitHead = measure(
      model.head,
      d.labels,
      viewedBy(model, d.embedded),
      validation.temperature as number,
    );
  }
  line.seconds = Math.round((performance.now() - started) / 1000);
  console.log(JSON.stringify(line));
}
