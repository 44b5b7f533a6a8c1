/**
 * npm run bench: the model in-process (load, warm-up, classify per model and backend), then the decode
 * memory rows of bench:memory. Writes bench/results/latest.json and prints the tables. The real
 * MobileNet rows need ../shared/testdata (or PETTRACKER_TESTDATA).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../shared/config.js';
import { mobilenetExport, mobilenetTeachableMetadata, petsDir } from '../test/support/fixtures.js';
import { benchMemory, printMemoryRows } from './memory-bench.js';
import { benchModel } from './model-bench.js';
import { machine, writeResults } from './stats.js';

// 99 KB: a real photo from the test data.
const photo = await readFile(path.join(petsDir, 'Bengal_16.jpg'));
const uris = {
  placeholder: path.join(projectRoot, 'models', 'placeholder'),
  'pets-mobilenet-v1 (bundled)': path.join(projectRoot, 'models', 'pets-mobilenet-v1'),
  'mobilenet-v1-0.75': await mobilenetExport(await mobilenetTeachableMetadata()),
};
const models = [];
for (const backend of ['tensorflow', 'wasm', 'cpu'] as const)
  for (const [name, uri] of Object.entries(uris))
    models.push(
      await benchModel(name, uri, backend, photo, backend === 'cpu' && name !== 'placeholder' ? 5 : 30),
    );
// Last, in fresh processes of its own: the RSS rise of 16 worst-shape images at once.
const decodeMemory = await benchMemory();
const date = new Date().toISOString();
await writeResults('bench/results/latest.json', {
  date,
  machine: machine(),
  imageBytes: photo.length,
  models,
  decodeMemory,
});
console.table(models);
printMemoryRows(decodeMemory);
