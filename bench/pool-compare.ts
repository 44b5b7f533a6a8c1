/**
 * The model worker pool (worker-pool-model.ts) against piscina (piscina-pool-model.ts), side by side in
 * one run: cache misses of the predict use case (decode in this thread under the decode gate, resize
 * and inference in a worker) with the bundled model on wasm, 2 workers each, both pools up together and
 * loaded in turn, in rounds whose order alternates. Every request is a byte-distinct test photo, so
 * every one misses. Usage: tsx bench/pool-compare.ts [rounds=4] [seconds per slice=6] [concurrency=4]
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createMemoryCache } from '../shared/adapters/cache/memory-cache.js';
import { openPiscinaPool } from '../shared/adapters/model/piscina-pool-model.js';
import { openWorkerPool } from '../shared/adapters/model/worker-pool-model.js';
import { loadConfig, projectRoot } from '../shared/config.js';
import { silentLogger } from '../shared/logger.js';
import { ModelSlot } from '../shared/model-slot.js';
import { predict } from '../shared/use-cases/predict.js';
import { petsDir } from '../test/support/fixtures.js';
import { jpegVariant, percentile, round } from './stats.js';

const [rounds = 4, sliceS = 6, concurrency = 4] = process.argv.slice(2).map(Number);
const names = (await readdir(petsDir)).filter((n) => /\.jpe?g$/i.test(n)).sort();
const photos = await Promise.all(names.map((n) => readFile(path.join(petsDir, n))));
const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
const load = {
  uri: path.join(projectRoot, 'models/pets-mobilenet-v1'),
  backend: 'wasm' as const,
  workers: 2,
};
const pools = { own: await openWorkerPool(load), piscina: await openPiscinaPool(load) };
let n = Date.now() * 1000;

async function slice(pool: (typeof pools)[keyof typeof pools], seconds: number) {
  const model = new ModelSlot();
  model.set(pool);
  const deps = {
    model,
    cache: createMemoryCache(),
    limits: config.limits,
    cacheTtlSeconds: 60,
    logger: silentLogger(),
  };
  const samples: number[] = [];
  const until = performance.now() + seconds * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const image = jpegVariant(photos[n % photos.length] as Buffer, n++);
      const started = performance.now();
      await predict(deps, { image, contentType: 'image/jpeg', topK: 3 });
      samples.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return {
    reqPerSec: round(samples.length / seconds, 1),
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
  };
}

for (const pool of Object.values(pools)) await slice(pool, 2); // warm-up
const results: Record<string, { reqPerSec: number; p50Ms: number; p99Ms: number }[]> = {
  own: [],
  piscina: [],
};
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? (['own', 'piscina'] as const) : (['piscina', 'own'] as const);
  for (const name of order) results[name]?.push(await slice(pools[name], sliceS));
  console.error(
    `round ${r + 1}: own ${results.own?.at(-1)?.reqPerSec}, piscina ${results.piscina?.at(-1)?.reqPerSec} req/s`,
  );
}
const ratios = (results.piscina ?? []).map((p, i) =>
  round(p.reqPerSec / (results.own?.[i]?.reqPerSec ?? 1), 2),
);
console.log(
  JSON.stringify(
    { date: new Date().toISOString(), rounds, sliceS, concurrency, results, piscinaOverOwn: ratios },
    null,
    2,
  ),
);
await Promise.all(Object.values(pools).map((p) => p.dispose()));
