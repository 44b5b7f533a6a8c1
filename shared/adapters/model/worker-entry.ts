import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkerOptions } from 'node:worker_threads';

export interface WorkerEntry {
  script: URL | string;
  options: Pick<WorkerOptions, 'eval' | 'execArgv'>;
}

/** tsx's ESM register() module, found through its package's exports map. */
function tsxRegisterUrl(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = JSON.parse(readFileSync(manifest, 'utf8')).exports as Record<
    string,
    { import: { default: string } }
  >;
  const api = exports['./esm/api']?.import.default;
  if (!api) throw new Error('tsx has no ./esm/api export: cannot start a model worker from source.');
  return pathToFileURL(path.join(path.dirname(manifest), api)).href;
}

/**
 * Where the model worker's code is. Bundled (the Beanstalk source bundle) it is model-worker.mjs
 * beside the server bundle, compiled it is model-worker.js. From source (`npm start` runs tsx, tests
 * run vitest) it is the .ts file: on Node 20 a worker does not inherit tsx's loader hooks through
 * `--import`, so a small script registers tsx in the worker's own thread and then imports it.
 */
export function modelWorkerEntry(): WorkerEntry {
  for (const name of ['./model-worker.mjs', './model-worker.js']) {
    const url = new URL(name, import.meta.url);
    if (existsSync(url)) return { script: url, options: {} };
  }
  const source = new URL('./model-worker.ts', import.meta.url).href;
  const script = `import(${JSON.stringify(tsxRegisterUrl())})
    .then(({ register }) => { register(); return import(${JSON.stringify(source)}); })
    .catch((error) => { throw error; });`;
  // execArgv [] keeps the parent's flags (a test runner's, tsx's own --import) out of the worker.
  return { script, options: { eval: true, execArgv: [] } };
}
