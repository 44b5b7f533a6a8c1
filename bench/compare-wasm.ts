/**
 * The cache-miss baseline of `bench:compare`: the bare one-thread TF.js wasm pipeline (decode, resize,
 * inference, top-k) on one model, in its own process so compare.ts can pin it like the servers.
 * Usage: compare-wasm.ts MODEL_DIR IMAGE; prints { classifyP50Ms, reqPerSec } as one JSON line.
 */
import { readFile } from 'node:fs/promises';
import { benchModel } from './model-bench.js';
import { round } from './stats.js';

const [modelDir, imagePath] = process.argv.slice(2);
if (!modelDir || !imagePath) throw new Error('usage: compare-wasm.ts MODEL_DIR IMAGE');
const row = await benchModel('mobilenet', modelDir, 'wasm', await readFile(imagePath), 20);
if (!('classifyP50Ms' in row)) throw new Error(`wasm unavailable: ${row.unavailable}`);
process.stdout.write(
  `${JSON.stringify({ classifyP50Ms: row.classifyP50Ms, reqPerSec: round(1000 / row.classifyP50Ms, 1) })}\n`,
);
