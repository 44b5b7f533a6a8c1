/**
 * npm run bench: the model in-process (load, warm-up, classify per model and backend), then the decode
 * memory rows of bench:memory. Writes bench/results/latest.json and prints the tables. The real
 * MobileNet rows need ../shared/testdata (or PETTRACKER_TESTDATA).
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../shared/config.js';
import { mobilenetExport, mobilenetTeachableMetadata, petsDir } from '../test/support/fixtures.js';
import { benchMemory, printMemoryRows } from './memory-bench.js';
import { benchModel } from './model-bench.js';

// 99 KB: a real photo from the test data.
const photo = await readFile(path.join(petsDir, 'Bengal_16.jpg'));
const mobilenet = await mobilenetExport(await mobilenetTeachableMetadata());
const placeholder = path.join(projectRoot, 'models', 'placeholder');
const bundled = path.join(projectRoot, 'models', 'pets-mobilenet-v1');

const models = [];
for (const backend of ['tensorflow', 'wasm', 'cpu'] as const) {
  const runs = backend === 'cpu' ? 5 : 30;
  models.push(await benchModel('placeholder', placeholder, backend, photo, 30));
  models.push(await benchModel('pets-mobilenet-v1 (bundled)', bundled, backend, photo, runs));
  models.push(await benchModel('mobilenet-v1-0.75', mobilenet, backend, photo, runs));
}
// Last, in fresh processes of its own: the RSS rise of 16 worst-shape images at once.
const memory = await benchMemory();

const machine = `${os.cpus().length} x ${os.cpus()[0]?.model}, Node ${process.version}`;
const results = {
  date: new Date().toISOString(),
  machine,
  imageBytes: photo.length,
  models,
  decodeMemory: memory,
};
await writeFile(
  path.join(projectRoot, 'bench', 'results', 'latest.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);
console.table(models);
printMemoryRows(memory);
