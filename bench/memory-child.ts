/**
 * One memory measurement in a fresh process (so one row's garbage cannot inflate the next): loads the
 * real model port, runs the predict use case once on a small photo to warm everything up, then sends
 * CONCURRENCY distinct copies of the given shapes at once and reports the peak RSS rise over the warm
 * baseline. The input buffers exist before the baseline is taken: the row measures decoding, not the
 * request bodies (which the transport bounds by MAX_IMAGE_BYTES each). One ordinary photo is sent
 * just after the burst: its time (`ordinaryMs`) says whether the shapes hold back other clients.
 * argv: the shape names, comma-separated. MEMORY_BENCH_WORKERS=n serves the model from n worker
 * threads (MODEL_WORKERS), as the server does. Prints one JSON line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createMemoryCache } from '../shared/adapters/cache/memory-cache.js';
import { openModel } from '../shared/composition/open-model.js';
import { loadConfig, projectRoot } from '../shared/config.js';
import { decodeCost } from '../shared/image/decode-cost.js';
import { readImageHeader } from '../shared/image/image-header.js';
import { ModelSlot } from '../shared/model-slot.js';
import { silentLogger } from '../shared/observability/logger.js';
import { predict } from '../shared/use-cases/predict.js';
import { makeJpeg } from '../test/support/images.js';
import { SHAPES, shapeBytes, variant } from './memory-shapes.js';

const CONCURRENCY = Number(process.env.MEMORY_BENCH_CONCURRENCY ?? 16);
const names = (process.argv[2] ?? '').split(',');
const shapes = names.map((name) => {
  const shape = SHAPES.find((s) => s.name === name);
  if (!shape) throw new Error(`unknown shape ${name}`);
  return shape;
});

const statusMb = (field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;

const config = loadConfig({ ...process.env, TFJS_BACKEND: process.env.TFJS_BACKEND ?? 'wasm' });
const loaded = await openModel(
  {
    ...config,
    model: { ...config.model, uri: process.env.MODEL_URI ?? path.join(projectRoot, 'models', 'placeholder') },
  },
  silentLogger(),
  { workers: Number(process.env.MEMORY_BENCH_WORKERS ?? 0) },
);
const model = new ModelSlot();
model.set(loaded);
const deps = {
  model,
  cache: createMemoryCache(),
  limits: config.limits,
  cacheTtlSeconds: 60,
  logger: silentLogger(),
};

const encoded = await Promise.all(shapes.map(shapeBytes));
const { inputSize, preprocessing } = loaded.info;
const estimates = await Promise.all(
  encoded.map(
    async (image) => decodeCost(await readImageHeader(image), inputSize, preprocessing.resize).bytes,
  ),
);
const inputs = Array.from({ length: CONCURRENCY }, (_, i) =>
  variant(encoded[i % encoded.length] as Buffer, i),
);
for (let i = 0; i < 3; i++) {
  await predict(deps, { image: await makeJpeg(640 + i, 480), contentType: 'image/jpeg', topK: 3 });
}
const ordinary = await makeJpeg(800, 600);
globalThis.gc?.();
const baseline = statusMb('VmRSS');
// Resets VmHWM to the current RSS, so the peak read below belongs to this burst alone.
writeFileSync('/proc/self/clear_refs', '5');

const started = performance.now();
const burst = Promise.all(
  inputs.map((image) =>
    predict(deps, { image, contentType: undefined, topK: 1 }).then(
      () => 'ok',
      (error: { code?: string }) => error.code ?? 'throw',
    ),
  ),
);
const ordinaryStarted = performance.now();
const ordinaryOutcome = await predict(deps, { image: ordinary, contentType: 'image/jpeg', topK: 1 }).then(
  () => 'ok',
  (error: { code?: string }) => error.code ?? 'throw',
);
const ordinaryMs = performance.now() - ordinaryStarted;
const outcomes = await burst;
const ms = performance.now() - started;
const peak = statusMb('VmHWM');
const counts: Record<string, number> = {};
for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
await loaded.dispose();
console.log(
  JSON.stringify({
    shapes: names.join(' + '),
    concurrency: CONCURRENCY,
    baselineMb: Math.round(baseline),
    peakMb: Math.round(peak),
    riseMb: Math.round(peak - baseline),
    /** The largest per-image decode cost estimate (decode-cost.ts) among the shapes. */
    estimateMb: Math.round(Math.max(...estimates) / 1024 / 1024),
    ms: Math.round(ms),
    outcomes: counts,
    ordinaryMs: Math.round(ordinaryMs),
    ordinaryOutcome,
  }),
);
