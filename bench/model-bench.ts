/**
 * The model in-process, no HTTP, no cache, no store. benchModel: load, warm-up and classify times of
 * one model on one backend (`npm run bench`). As a script (`model-bench.ts MODEL_DIR PHOTO_DIR
 * SECONDS`): the one-thread wasm pipeline (decode, resize, inference, top-k) classifying the folder's
 * photos back to back, printed as one JSON line: bench:compare's cache-miss baseline, pinned like the
 * servers: what one worker can do at best.
 */
import { fileURLToPath } from 'node:url';
import { classifyImage, preprocessImage } from '../shared/adapters/model/image-preprocess.js';
import { loadTfjsModel } from '../shared/adapters/model/tfjs-model.js';
import { readJpegs } from './load.js';
import { percentile, round } from './stats.js';

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export async function benchModel(
  name: string,
  uri: string,
  backend: 'tensorflow' | 'wasm' | 'cpu',
  image: Buffer,
  iterations: number,
) {
  const model = await loadTfjsModel({ uri, backend }).catch((error: Error) => error);
  if (model instanceof Error) return { model: name, backend, unavailable: model.message.split('\n')[0] };
  if (model.info.backend !== backend) {
    await model.dispose();
    return { model: name, backend, unavailable: `fell back to ${model.info.backend}` };
  }
  const classify: number[] = [];
  const preprocess: number[] = [];
  const options = { inputSize: model.info.inputSize, preprocessing: model.info.preprocessing };
  for (let i = 0; i < iterations; i++) {
    classify.push(await timed(() => classifyImage(model, image, 3)));
    preprocess.push(await timed(() => preprocessImage(image, options)));
  }
  await model.dispose();
  return {
    model: name,
    backend,
    loadMs: round(model.stats.sourceMs + model.stats.loadMs),
    warmupMs: round(model.stats.warmupMs),
    /** classify(): decode + resize + normalise + inference + top-k */
    classifyP50Ms: percentile(classify, 50),
    classifyP95Ms: percentile(classify, 95),
    /** decode + resize + normalise alone (sharp) */
    preprocessP50Ms: percentile(preprocess, 50),
    iterations,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [modelDir, photoDir, seconds] = process.argv.slice(2);
  if (!modelDir || !photoDir || !seconds)
    throw new Error('usage: model-bench.ts MODEL_DIR PHOTO_DIR SECONDS');
  const photos = await readJpegs(photoDir);
  const model = await loadTfjsModel({ uri: modelDir, backend: 'wasm' });
  if (model.info.backend !== 'wasm') throw new Error(`wasm unavailable: fell back to ${model.info.backend}`);
  // A few classifications first: the first ones pay for compiling and allocating, as on the server.
  for (const photo of photos.slice(0, 3)) await classifyImage(model, photo, 3);
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; performance.now() < started + Number(seconds) * 1000; i++)
    samples.push(await timed(() => classifyImage(model, photos[i % photos.length] as Buffer, 3)));
  const elapsedS = (performance.now() - started) / 1000;
  await model.dispose();
  const [p50Ms, p99Ms] = [percentile(samples, 50), percentile(samples, 99)];
  console.log(
    JSON.stringify({ reqPerSec: round(samples.length / elapsedS, 1), p50Ms, p99Ms, images: samples.length }),
  );
}
