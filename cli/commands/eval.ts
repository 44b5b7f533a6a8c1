import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../shared/config.js';
import { openEvalModel } from '../eval/eval-model.js';
import { renderHtml } from '../eval/html/page.js';
import { readLabelMap } from '../eval/label-match.js';
import { buildReport } from '../eval/report.js';
import { readEvalInput, runEvalFolders } from '../eval/run-folders.js';
import { summaryLines } from '../eval/summary.js';
import { downloadBar } from '../progress.js';
import { UsageError } from '../usage.js';

const OPTIONS = {
  model: { type: 'string' },
  out: { type: 'string', default: 'eval-report' },
  labels: { type: 'string' },
  'label-map': { type: 'string' },
  'not-pets': { type: 'string' },
  variants: { type: 'boolean', default: false },
} as const;

async function isFolder(dir: string): Promise<boolean> {
  return stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** A folder given on the command line is relative to where the command runs, not to the repository. */
function modelUri(model: string): string {
  return model === 'mobilenet' || /^[a-z0-9]+:\/\//.test(model) ? model : path.resolve(model);
}

/** `pettracker eval <folder>`: accuracy, calibration, latency and robustness of a model on labelled photos. */
export async function evalCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('eval takes one folder of labelled photos.');
  const folder = path.resolve(positionals[0] as string);
  if (!(await isFolder(folder))) throw new UsageError(`${folder} is not a folder.`);
  const notPets = values['not-pets'] === undefined ? undefined : path.resolve(values['not-pets']);
  if (notPets !== undefined && !(await isFolder(notPets)))
    throw new UsageError(`${notPets} is not a folder.`);
  const labelMap = values['label-map'] === undefined ? undefined : await readLabelMap(values['label-map']);
  const input = await readEvalInput(folder, values.labels, notPets);

  const config = loadConfig();
  const bar = downloadBar('downloading model');
  const model = await openEvalModel(
    values.model === undefined ? config.model.uri : modelUri(values.model),
    config,
    bar.onProgress,
  ).finally(() => bar.stop());
  try {
    const runs = await runEvalFolders(model, input, labelMap, values.variants);
    const report = await buildReport({ ...runs, folder, model });
    const out = path.resolve(values.out);
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, 'eval.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(path.join(out, 'eval.html'), renderHtml(report));
    console.log(
      [
        ...summaryLines(report),
        '',
        `wrote ${path.join(out, 'eval.json')}`,
        `wrote ${path.join(out, 'eval.html')}`,
      ].join('\n'),
    );
    return report.images.evaluated === 0 ? 1 : 0;
  } finally {
    await model.close();
  }
}
