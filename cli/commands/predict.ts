import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../shared/config.js';
import { AppError } from '../../shared/errors.js';
import type { PredictOutput } from '../../shared/use-cases/predict.js';
import { localPredictor, PredictError, type Predictor, remotePredictor } from '../predictors.js';
import { downloadBar, itemsBar } from '../progress.js';
import { formatTable } from '../table.js';
import { UsageError } from '../usage.js';

type Outcome = { file: string } & ({ result: PredictOutput } | { error: { code: string; message: string } });

const OPTIONS = {
  api: { type: 'string' },
  model: { type: 'string' },
  top: { type: 'string', default: '3' },
  json: { type: 'boolean', default: false },
} as const;

/** `pettracker predict <image...>`: the top breeds of each image, from a local model or a running API. */
export async function predictCommand(args: string[]): Promise<number> {
  const { values, positionals: files } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  const topK = Number(values.top);
  if (!Number.isInteger(topK) || topK < 1 || topK > 10) throw new UsageError('--top takes 1 to 10.');
  if (files.length === 0) throw new UsageError('predict needs at least one image file.');
  if (values.api && values.model) throw new UsageError('--api and --model exclude each other.');

  const predictor = await openPredictor(values.api, values.model);
  const outcomes: Outcome[] = [];
  const bar = files.length > 1 ? itemsBar(files.length, 'predicting') : undefined;
  try {
    for (const file of files) {
      outcomes.push(await predictOne(predictor, file, topK));
      bar?.tick(path.basename(file));
    }
  } finally {
    bar?.stop();
    await predictor.close();
  }
  console.log(values.json ? outcomes.map((o) => JSON.stringify(o)).join('\n') : render(outcomes));
  return outcomes.some((o) => 'error' in o) ? 1 : 0;
}

async function openPredictor(api: string | undefined, model: string | undefined): Promise<Predictor> {
  if (api) return remotePredictor(api);
  const config = loadConfig();
  const bar = downloadBar('downloading model');
  try {
    return await localPredictor(
      model === undefined ? config.model.uri : modelUri(model),
      config,
      bar.onProgress,
    );
  } finally {
    bar.stop();
  }
}

/** A folder given on the command line is relative to where the command runs, not to the repository. */
function modelUri(model: string): string {
  return model === 'mobilenet' || /^[a-z0-9]+:\/\//.test(model) ? model : path.resolve(model);
}

async function predictOne(predictor: Predictor, file: string, topK: number): Promise<Outcome> {
  try {
    return { file, result: await predictor.predict(await readFile(file), topK) };
  } catch (error) {
    if (error instanceof AppError || error instanceof PredictError) {
      return { file, error: { code: error.code, message: error.message } };
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      return { file, error: { code, message: (error as Error).message } };
    }
    throw error;
  }
}

const HEADER = ['IMAGE', 'VERDICT', 'SPECIES', '#', 'BREED', 'CONFIDENCE'];

/**
 * One row per breed, the image's verdict and species on its first; a not-a-pet answer and a failed
 * image get one row each, and the errors are listed under the table, where their length widens nothing.
 */
function render(outcomes: Outcome[]): string {
  const rows: string[][] = [];
  const errors: string[] = [];
  for (const o of outcomes) {
    if ('error' in o) {
      rows.push([o.file, 'error']);
      errors.push(`${o.file}: ${o.error.code} ${o.error.message}`);
      continue;
    }
    const { predictions, verdict, species } = o.result;
    if (predictions.length === 0) rows.push([o.file, verdict, species ?? '-']);
    predictions.forEach((p, i) => {
      const image = i === 0 ? [o.file, verdict, species ?? '-'] : ['', '', ''];
      rows.push([...image, String(i + 1), p.breed, `${(p.confidence * 100).toFixed(1)}%`]);
    });
  }
  const first = outcomes.find((o): o is Outcome & { result: PredictOutput } => 'result' in o)?.result.model;
  const note = first?.untrained ? ' (untrained placeholder: these are not real predictions)' : '';
  const header = first ? `model ${first.name} ${first.version}${note}\n\n` : '';
  const table = formatTable(HEADER, rows, new Set([3, 5]));
  return header + table + (errors.length > 0 ? `\n\nerrors:\n${errors.map((e) => `  ${e}`).join('\n')}` : '');
}
