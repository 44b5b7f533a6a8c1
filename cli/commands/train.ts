import path from 'node:path';
import { parseArgs } from 'node:util';
import { skippedLine } from '../image-files.js';
import { etaBar } from '../progress.js';
import type { UnsureChoice } from '../train/confidence.js';
import { EmbeddingInterrupted } from '../train/embed.js';
import { DEFAULT_VIEWS, ROBUSTNESS_VIEWS, train } from '../train/run.js';
import { DEFAULT_HEAD, DEFAULT_TAIL } from '../train/settings.js';
import { VIEWS, type View } from '../train/views.js';
import { UsageError } from '../usage.js';

const OPTIONS = {
  out: { type: 'string' },
  name: { type: 'string' },
  base: { type: 'string' },
  csv: { type: 'string' },
  'label-map': { type: 'string' },
  'not-pets': { type: 'string' },
  'cache-dir': { type: 'string' },
  seed: { type: 'string' },
  epochs: { type: 'string' },
  'fine-tune': { type: 'string' },
  validation: { type: 'string' },
  views: { type: 'string' },
  quantize: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** What the summary prints from the report of cli/train/run.ts. */
interface TrainReport {
  usedPhotos: number;
  skipped: unknown[];
  refit: boolean;
  fineTune: { rank: number; epochs: number } | null;
  noFineTune: string | null;
  photos: number;
  top1: number;
  top3: number;
  species: number;
  backboneAloneTop1OnKnownLabels: number | null;
  robustness?: Record<string, { top1: number }>;
  temperature: number;
  ece: { before: number; after: number };
  unsure: UnsureChoice;
  gate: {
    threshold: number;
    pets: number;
    others: number;
    heldOut: { pets: number; others: number; petsRefused: number; othersAccepted: number };
  } | null;
  noGate: string | null;
}

/** The MobileNet v1 0.75/224 the default model was trained on, where the project's test data sits. */
const DEFAULT_BASE = '../shared/testdata/models/mobilenet_v1_0.75_224';

function positiveNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0)) throw new UsageError(`--${name} takes a positive number.`);
  return n;
}

/**
 * `--fine-tune <epochs>`: also train the backbone's last pointwise convolution. Off by default: on
 * the Oxford pets, every setting that changed its kernel cost 1.3-2.1 points of validation top-1
 * (docs/models.md).
 */
function fineTuneEpochs(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError('--fine-tune takes a whole number of epochs (0: the head alone).');
  return n;
}

function viewList(value: string | undefined): readonly View[] {
  if (value === undefined) return DEFAULT_VIEWS;
  const views = value.split(',').map((v) => v.trim());
  const unknown = views.filter((v) => !(VIEWS as readonly string[]).includes(v));
  if (unknown.length > 0 || !views.includes('center'))
    throw new UsageError(`--views: a comma list of ${VIEWS.join(', ')}, with center.`);
  return views as View[];
}

/**
 * `pettracker train <folder>`: transfer learning on the backbone's cached features, then one exported
 * model folder the server loads unchanged. Ctrl-C stops after the current photo; the features computed
 * so far stay in the cache, so the next run continues where this one stopped. A photo that cannot be
 * read or decoded is named on stderr and left out; a label left with no photo fails the run.
 */
export async function trainCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  const [data, extra] = positionals;
  if (!data || extra !== undefined)
    throw new UsageError('Usage: pettracker train <folder> [--out models/mine]');
  const quantize = values.quantize ?? 'auto';
  if (quantize !== 'auto' && quantize !== 'always' && quantize !== 'never')
    throw new UsageError('--quantize takes auto, always or never.');
  const backend = values.backend ?? 'auto';
  if (!['auto', 'wasm', 'cpu', 'tensorflow'].includes(backend))
    throw new UsageError('--backend takes auto, wasm, cpu or tensorflow.');
  const out = path.resolve(values.out ?? 'models/trained');
  const fineTune = fineTuneEpochs(values['fine-tune']);

  let stop = false;
  const onSigint = () => {
    stop = true;
    console.error('\nStopping after this photo; the feature cache keeps what is done.');
  };
  process.on('SIGINT', onSigint);
  let bar: ReturnType<typeof etaBar> | undefined;
  const started = performance.now();
  try {
    const summary = await train({
      data,
      csv: values.csv,
      base: values.base ?? DEFAULT_BASE,
      out,
      name: values.name ?? path.basename(out),
      cacheDir: values['cache-dir'] ?? '.cache/embeddings',
      labelMap: values['label-map'],
      notPets: values['not-pets'],
      seed: Math.floor(positiveNumber(values.seed, 'seed', 1)),
      validationFraction: positiveNumber(values.validation, 'validation', 0.15),
      views: viewList(values.views),
      robustnessViews: ROBUSTNESS_VIEWS,
      head: {
        ...DEFAULT_HEAD,
        epochs: Math.floor(positiveNumber(values.epochs, 'epochs', DEFAULT_HEAD.epochs)),
      },
      fineTune: fineTune > 0 ? { ...DEFAULT_TAIL, epochs: fineTune } : undefined,
      quantize,
      backend: backend as 'auto',
      stopRequested: () => stop,
      onStage: (stage) => {
        bar?.stop();
        bar = undefined;
        console.error(stage);
      },
      onSkip: (photo) => {
        const line = skippedLine(photo.file, photo);
        if (bar) bar.log(line);
        else console.error(line);
      },
      onEmbedProgress: (progress) => {
        bar ??= etaBar(progress.total, 'features');
        bar.update(progress.done, `${progress.cached} cached`);
      },
    });
    bar?.stop();
    const seconds = (performance.now() - started) / 1000;
    const report = { ...summary, seconds: Math.round(seconds) };
    if (values.json) console.log(JSON.stringify(report));
    else {
      const r = summary.report as unknown as TrainReport;
      const pct = (x: number | undefined) => (x === undefined ? '-' : `${(x * 100).toFixed(1)} %`);
      console.log(
        `${summary.dir}: version ${summary.version}, ${summary.quantized ? 'uint8' : 'float32'} weights`,
      );
      const skipped = r.skipped.length;
      console.log(
        `${r.usedPhotos} photos used, ${skipped} skipped${skipped > 0 ? ' (named on stderr)' : ''}` +
          (r.refit ? '; the shipped head is refitted on all of them' : ''),
      );
      console.log(
        r.fineTune
          ? `fine-tuned the backbone's last pointwise convolution with the head: rank ${r.fineTune.rank}, ${r.fineTune.epochs} epochs`
          : `the backbone is frozen, the head alone was trained: ${r.noFineTune}`,
      );
      console.log(
        `validation (${r.photos} photos): top-1 ${pct(r.top1)}, top-3 ${pct(r.top3)}, species ${pct(r.species)}; ` +
          `backbone alone on its known labels ${pct(r.backboneAloneTop1OnKnownLabels ?? undefined)}`,
      );
      const robust = Object.entries(r.robustness ?? {}).map(([view, v]) => `${view} ${pct(v.top1)}`);
      if (robust.length > 0) console.log(`  as phones send them: top-1 ${robust.join(', ')}`);
      console.log(
        `calibration: temperature ${r.temperature} (ECE ${pct(r.ece.before)} -> ${pct(r.ece.after)}); ` +
          `unsure below ${r.unsure.level}: ${r.unsure.breedAnswers} of ${r.unsure.photos} validation answers say "breed", ` +
          `${pct(r.unsure.breedRight / Math.max(1, r.unsure.breedAnswers))} of them right` +
          (r.unsure.reached ? '' : ` (short of the ${pct(r.unsure.target)} aimed at)`),
      );
      console.log(
        r.gate
          ? `pet gate ${r.gate.threshold}, chosen on ${r.gate.pets} training pets and ${r.gate.others} other photos; ` +
              `held out: ${pct(r.gate.heldOut.petsRefused)} of ${r.gate.heldOut.pets} pets refused, ` +
              `${pct(r.gate.heldOut.othersAccepted)} of ${r.gate.heldOut.others} other photos accepted`
          : `no pet gate: ${r.noGate}; every photo is taken as a cat or dog`,
      );
      console.log(`${seconds.toFixed(0)} s`);
    }
    return 0;
  } catch (error) {
    bar?.stop();
    if (error instanceof EmbeddingInterrupted) {
      console.error(error.message);
      return 130;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
