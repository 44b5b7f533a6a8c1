/**
 * The memory row: the RSS rise while 16 worst-shape images within the limits are predicted at once,
 * through the predict use case and the real model port, each row in a fresh process (so one row's
 * garbage cannot inflate the next). `npm run bench:memory` runs it alone (about two minutes, the first
 * run a minute more to generate the shapes) and writes bench/results/memory.json; `npm run bench`
 * includes it. MEMORY_BENCH_SHAPES=name,name picks rows; MEMORY_BENCH_CONCURRENCY (default 16) the
 * burst; MEMORY_BENCH_WORKERS=n serves the model from n worker threads (MODEL_WORKERS), as the server does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryCache } from '../shared/adapters/cache/memory-cache.js';
import { openModel } from '../shared/composition/open-model.js';
import { loadConfig, projectRoot } from '../shared/config.js';
import { decodeCost } from '../shared/image/decode-cost.js';
import { readImageHeader } from '../shared/image/image-header.js';
import { ModelSlot } from '../shared/model-slot.js';
import { silentLogger } from '../shared/observability/logger.js';
import { predict } from '../shared/use-cases/predict.js';
import { hasTestdata, mobilenetExport, mobilenetTeachableMetadata } from '../test/support/fixtures.js';
import { makeJpeg } from '../test/support/images.js';
import { runScript } from './load.js';
import { SHAPES, shapeBytes, variant } from './memory-shapes.js';
import { writeResults } from './stats.js';

export interface MemoryRow {
  shapes: string;
  concurrency: number;
  baselineMb: number;
  peakMb: number;
  riseMb: number;
  /** The largest per-image decode cost estimate (decode-cost.ts) among the shapes. */
  estimateMb: number;
  ms: number;
  outcomes: Record<string, number>;
  /** One ordinary photo sent just after the burst: its time and answer (do the shapes hold back others?). */
  ordinaryMs: number;
  ordinaryOutcome: string;
}

/**
 * One row, in this process: loads the real model port, runs the predict use case on small photos to
 * warm everything up, then sends CONCURRENCY distinct copies of the shapes at once and reports the peak
 * RSS rise over the warm baseline. The input buffers exist before the baseline is taken: the row
 * measures decoding, not the request bodies (which the transport bounds by MAX_IMAGE_BYTES each).
 */
async function measureHere(names: string[]): Promise<MemoryRow> {
  const shapes = names.map((name) => {
    const shape = SHAPES.find((s) => s.name === name);
    if (!shape) throw new Error(`unknown shape ${name}`);
    return shape;
  });
  const statusMb = (field: string) =>
    Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;
  const config = loadConfig({ ...process.env, TFJS_BACKEND: process.env.TFJS_BACKEND ?? 'wasm' });
  const uri = process.env.MODEL_URI ?? path.join(projectRoot, 'models', 'placeholder');
  const workers = Number(process.env.MEMORY_BENCH_WORKERS ?? 0);
  const logger = silentLogger();
  const loaded = await openModel({ ...config, model: { ...config.model, uri } }, logger, { workers });
  const model = new ModelSlot();
  model.set(loaded);
  const deps = { model, limits: config.limits, cache: createMemoryCache(), cacheTtlSeconds: 60, logger };

  const outcome = (image: Buffer, contentType?: string) =>
    predict(deps, { image, contentType, topK: 1 }).then(
      () => 'ok',
      (error: { code?: string }) => error.code ?? 'throw',
    );

  const encoded = await Promise.all(shapes.map(shapeBytes));
  const { inputSize, preprocessing } = loaded.info;
  const estimates = await Promise.all(
    encoded.map(
      async (image) => decodeCost(await readImageHeader(image), inputSize, preprocessing.resize).bytes,
    ),
  );
  const concurrency = Number(process.env.MEMORY_BENCH_CONCURRENCY ?? 16);
  const inputs = Array.from({ length: concurrency }, (_, i) =>
    variant(encoded[i % encoded.length] as Buffer, i),
  );
  for (let i = 0; i < 3; i++) await outcome(await makeJpeg(640 + i, 480), 'image/jpeg');
  const ordinary = await makeJpeg(800, 600);
  globalThis.gc?.();
  const baseline = statusMb('VmRSS');
  // Resets VmHWM to the current RSS, so the peak read below belongs to this burst alone.
  writeFileSync('/proc/self/clear_refs', '5');

  const started = performance.now();
  const burst = Promise.all(inputs.map((image) => outcome(image)));
  const ordinaryStarted = performance.now();
  const ordinaryOutcome = await outcome(ordinary, 'image/jpeg');
  const ordinaryMs = performance.now() - ordinaryStarted;
  const outcomes = await burst;
  const ms = performance.now() - started;
  const peak = statusMb('VmHWM');
  await loaded.dispose();
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return {
    shapes: names.join(' + '),
    concurrency,
    ...{ baselineMb: Math.round(baseline), peakMb: Math.round(peak), riseMb: Math.round(peak - baseline) },
    estimateMb: Math.round(Math.max(...estimates) / 1024 / 1024),
    ms: Math.round(ms),
    outcomes: counts,
    ordinaryMs: Math.round(ordinaryMs),
    ordinaryOutcome,
  };
}

export async function benchMemory(only?: string[]): Promise<MemoryRow[]> {
  const picked = only ? SHAPES.filter((s) => only.includes(s.name)) : SHAPES;
  // Generated here, once, so no measured process pays for it.
  for (const shape of picked) await shapeBytes(shape);
  // MobileNet (224 px input) where the test data has it, else the bundled placeholder (128 px).
  const modelUri = hasTestdata ? await mobilenetExport(await mobilenetTeachableMetadata()) : undefined;
  const env = modelUri ? { ...process.env, MODEL_URI: modelUri } : process.env;
  const measure = (names: string[]) =>
    runScript<MemoryRow>(['bench/memory-bench.ts', '--child', names.join(',')], {
      nodeFlags: ['--expose-gc'],
      env,
    });
  const rows: MemoryRow[] = [];
  for (const shape of picked) rows.push(await measure([shape.name]));
  if (!only) {
    const all = await measure(SHAPES.map((s) => s.name));
    rows.push({ ...all, shapes: `all ${SHAPES.length} shapes, round robin` });
  }
  return rows;
}

export function printMemoryRows(rows: MemoryRow[]): void {
  console.table(
    rows.map(({ shapes, riseMb, estimateMb, peakMb, ms, outcomes, ordinaryMs, ordinaryOutcome }) => ({
      ...{ shapes, riseMb, estimateMb, peakMb, ms },
      outcomes: Object.entries(outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
      ordinary: `${ordinaryOutcome} in ${ordinaryMs} ms`,
    })),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--child') {
    console.log(JSON.stringify(await measureHere((process.argv[3] ?? '').split(','))));
  } else {
    const only = process.env.MEMORY_BENCH_SHAPES?.split(',');
    const rows = await benchMemory(only);
    printMemoryRows(rows);
    if (!only) await writeResults('bench/results/memory.json', { date: new Date().toISOString(), rows });
  }
}
