/**
 * The cache-miss baseline of `bench:compare`: the bare one-thread TF.js wasm pipeline (decode, resize,
 * inference, top-k) on the same model and the same photos as the server's miss load, classified one
 * after another in their own process, so that compare.ts can pin it like the servers. No HTTP, no
 * cache, no store: what one worker can do at best.
 * Usage: compare-wasm.ts MODEL_DIR PHOTO_DIR SECONDS; prints { reqPerSec, p50Ms, p99Ms, images } as one JSON line.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { classifyImage } from '../shared/adapters/model/image-preprocess.js';
import { loadTfjsModel } from '../shared/adapters/model/tfjs-model.js';
import { percentile, round } from './stats.js';

const [modelDir, photoDir, seconds] = process.argv.slice(2);
if (!modelDir || !photoDir || !seconds) throw new Error('usage: compare-wasm.ts MODEL_DIR PHOTO_DIR SECONDS');
const names = (await readdir(photoDir)).filter((n) => /\.jpe?g$/i.test(n)).sort();
const photos = await Promise.all(names.map((n) => readFile(path.join(photoDir, n))));
const model = await loadTfjsModel({ uri: modelDir, backend: 'wasm' });
if (model.info.backend !== 'wasm') throw new Error(`wasm unavailable: fell back to ${model.info.backend}`);
// A few classifications first: the first ones pay for compiling and allocating, as on the server.
for (const photo of photos.slice(0, 3)) await classifyImage(model, photo, 3);
const samples: number[] = [];
const started = performance.now();
const until = started + Number(seconds) * 1000;
for (let i = 0; performance.now() < until; i++) {
  const t = performance.now();
  await classifyImage(model, photos[i % photos.length] as Buffer, 3);
  samples.push(performance.now() - t);
}
const elapsedS = (performance.now() - started) / 1000;
await model.dispose();
process.stdout.write(
  `${JSON.stringify({
    reqPerSec: round(samples.length / elapsedS, 1),
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    images: samples.length,
  })}\n`,
);
