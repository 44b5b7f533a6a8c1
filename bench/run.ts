/**
 * npm run bench: the figures the README reports. Writes bench/results/latest.json and prints a table.
 * BENCH_SECONDS (default 10) sets each load run's length; PG_BENCH_URL (default the local server)
 * the PostgreSQL for the pg rows; the real MobileNet rows need ../shared/testdata.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../shared/config.js';
import {
  hasTestdata,
  mobilenetExport,
  mobilenetTeachableMetadata,
  petsDir,
} from '../test/support/fixtures.js';
import { makeJpeg } from '../test/support/images.js';
import { type LoadResult, runLoad, sequentialLatency } from './http-bench.js';
import { benchMemory, printMemoryRows } from './memory-bench.js';
import { benchModel } from './model-bench.js';
import { type PredictAnswer, saveBodyOf } from './predict-answer.js';
import { freshPostgres, startBenchServer, startLocalAwsProcess } from './servers.js';
import { jpegVariant, round } from './stats.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const pgAdminUrl = process.env.PG_BENCH_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const placeholder = path.join(projectRoot, 'models', 'placeholder');

// ~100 KB: a real photo from the test data where present, else a generated one of that size.
const photo = hasTestdata
  ? await readFile(path.join(petsDir, 'Bengal_16.jpg'))
  : await makeJpeg(640, 480, 92);
const mobilenet = hasTestdata ? await mobilenetExport(await mobilenetTeachableMetadata()) : null;

const models: Awaited<ReturnType<typeof benchModel>>[] = [];
for (const backend of ['tensorflow', 'wasm', 'cpu'] as const) {
  models.push(await benchModel('placeholder', placeholder, backend, photo, 30));
  if (mobilenet)
    models.push(await benchModel('mobilenet-v1-0.75', mobilenet, backend, photo, backend === 'cpu' ? 5 : 30));
}

const loads: LoadResult[] = [];
const misses: Record<string, { httpP50Ms: number; inferenceP50Ms: number; nonModelShare: number }> = {};
const rss: Record<string, { peak: number; current: number }> = {};
let variant = 0;
const nextVariant = () => jpegVariant(photo, variant++);
const imageHeaders = { 'content-type': 'image/jpeg' };

async function predictRuns(label: string, env: Record<string, string>, modelRow: string) {
  const server = await startBenchServer(env);
  try {
    const url = `${server.url}/predict`;
    await fetch(url, { method: 'POST', headers: imageHeaders, body: photo });
    loads.push(
      await runLoad({
        name: `predict cache hit (${label})`,
        url,
        method: 'POST',
        headers: imageHeaders,
        body: photo,
        connections: 16,
        durationS: seconds,
      }),
    );
    loads.push(
      await runLoad({
        name: `predict cache miss (${label})`,
        url,
        method: 'POST',
        headers: imageHeaders,
        body: nextVariant,
        connections: 4,
        durationS: seconds,
      }),
    );
    const http = await sequentialLatency(
      url,
      () => ({ method: 'POST', headers: imageHeaders, body: nextVariant() }),
      40,
    );
    const row = models.find((m) => `${m.model}/${m.backend}` === modelRow && 'classifyP50Ms' in m);
    if (row && 'classifyP50Ms' in row) {
      const inference = row.classifyP50Ms - row.preprocessP50Ms;
      misses[label] = {
        httpP50Ms: http.p50Ms,
        inferenceP50Ms: round(inference),
        nonModelShare: round((http.p50Ms - inference) / http.p50Ms, 3),
      };
    }
    rss[label] = await server.memoryMb();
  } finally {
    await server.stop();
  }
}

async function historyRuns(label: string, env: Record<string, string>) {
  const server = await startBenchServer(env);
  try {
    const token = await server.token(`bench-${label}`);
    const predicted = (await (
      await fetch(`${server.url}/predict`, { method: 'POST', headers: imageHeaders, body: photo })
    ).json()) as PredictAnswer;
    const save = saveBodyOf(predicted, 0.5);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const url = `${server.url}/predictions`;
    loads.push(
      await runLoad({
        name: `POST /predictions (${label})`,
        url,
        method: 'POST',
        headers,
        body: save,
        connections: 16,
        durationS: seconds,
      }),
    );
    loads.push(
      await runLoad({
        name: `GET /predictions?limit=20 (${label})`,
        url: `${url}?limit=20`,
        method: 'GET',
        headers,
        connections: 16,
        durationS: seconds,
      }),
    );
    rss[`history ${label}`] = await server.memoryMb();
  } finally {
    await server.stop();
  }
}

const wasm = { TFJS_BACKEND: 'wasm' };
await predictRuns(
  'placeholder, wasm, memory cache',
  { ...wasm, PGLITE_DIR: 'memory://' },
  'placeholder/wasm',
);
if (mobilenet)
  await predictRuns(
    'mobilenet, wasm, memory cache',
    { ...wasm, PGLITE_DIR: 'memory://', MODEL_URI: mobilenet },
    'mobilenet-v1-0.75/wasm',
  );
await predictRuns(
  'placeholder, wasm, Redis cache',
  { ...wasm, PGLITE_DIR: 'memory://', REDIS_URL: 'redis://127.0.0.1:6379' },
  'placeholder/wasm',
);
await historyRuns('PGlite', { ...wasm });
const db = await freshPostgres(pgAdminUrl);
try {
  await historyRuns('PostgreSQL', { ...wasm, DATABASE_URL: db.url, MIGRATE_ON_START: 'true' });
  // The Lambda path: Data API -> emulator -> the same PostgreSQL, Upstash -> emulator -> the same Redis.
  const aws = await startLocalAwsProcess(pgAdminUrl, new URL(db.url).pathname.slice(1));
  try {
    await predictRuns(
      'placeholder, wasm, Upstash cache',
      { ...wasm, ...aws.env, MIGRATE_ON_START: 'true' },
      'placeholder/wasm',
    );
    await historyRuns('Data API', { ...wasm, ...aws.env, MIGRATE_ON_START: 'true' });
  } finally {
    await aws.stop();
  }
} finally {
  await db.drop();
}

// Last, in fresh processes of its own: the RSS rise of 16 worst-shape images at once.
const memory = await benchMemory();

const results = {
  date: new Date().toISOString(),
  machine: `${(await import('node:os')).cpus().length} cores`,
  imageBytes: photo.length,
  seconds,
  models,
  loads,
  cacheMiss: misses,
  peakRssMb: rss,
  decodeMemory: memory,
};
await mkdir(path.join(projectRoot, 'bench', 'results'), { recursive: true });
await writeFile(
  path.join(projectRoot, 'bench', 'results', 'latest.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);

console.log(`\nimage: ${photo.length} bytes; each load run ${seconds} s\n`);
console.table(models);
console.table(loads);
console.table(misses);
console.table(rss);
printMemoryRows(memory);
