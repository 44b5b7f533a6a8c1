import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkWeightSizes, parseModelJson, weightFilePaths } from '../../shared/adapters/model/model-json.js';
import { resolveModelSource } from '../../shared/adapters/model/model-source.js';
import { loadConfig } from '../../shared/config.js';
import { downloadBar } from '../progress.js';
import { UsageError } from '../usage.js';

const OPTIONS = { from: { type: 'string' }, 'max-mb': { type: 'string' } } as const;

/**
 * `pettracker model fetch <mobilenet|uri>`: downloads into the model cache the server reads (so its
 * next start finds the files instead of downloading them), then checks the files on disk against the
 * manifest in model.json and, with --max-mb, against a size budget.
 */
export async function modelCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  const [action, uri, extra] = positionals;
  if (action !== 'fetch' || !uri || extra !== undefined) {
    throw new UsageError('Usage: pettracker model fetch <mobilenet|s3://…|https://…>');
  }
  if (!(uri === 'mobilenet' || /^(s3|https?):\/\//.test(uri))) {
    throw new UsageError(`${uri}: a local folder needs no fetching; give "mobilenet", s3:// or http(s)://.`);
  }
  const maxMb = values['max-mb'] === undefined ? undefined : Number(values['max-mb']);
  if (maxMb !== undefined && !(maxMb > 0)) throw new UsageError('--max-mb takes a positive number.');

  const config = loadConfig();
  const bar = downloadBar(`fetching ${uri}`);
  let dir: string;
  try {
    ({ dir } = await resolveModelSource(uri, {
      cacheDir: config.model.cacheDir,
      onProgress: bar.onProgress,
      ...(values.from ? { mobilenetUrl: values.from } : {}),
    }));
  } finally {
    bar.stop();
  }
  const bytes = await checkedSize(dir);
  const mb = bytes / 1024 / 1024;
  console.log(`${dir}: ${mb.toFixed(1)} MB; weight files match model.json's manifest.`);
  if (maxMb !== undefined && mb > maxMb) {
    console.error(`The model is ${mb.toFixed(1)} MB, over --max-mb ${maxMb}.`);
    return 1;
  }
  return 0;
}

/** Total bytes of model.json and its weight files, after checking each against the manifest. */
async function checkedSize(dir: string): Promise<number> {
  const modelJsonPath = path.join(dir, 'model.json');
  const modelJson = parseModelJson(await readFile(modelJsonPath), modelJsonPath);
  const sizes = new Map<string, number>();
  for (const name of weightFilePaths(modelJson)) sizes.set(name, (await stat(path.join(dir, name))).size);
  checkWeightSizes(modelJson, (name) => sizes.get(name) ?? 0, dir);
  const weights = [...sizes.values()].reduce((a, b) => a + b, 0);
  return weights + (await stat(modelJsonPath)).size;
}
