/**
 * npm run bench:eb: figures of the Elastic Beanstalk bundle, measured on the bundle itself, built,
 * unzipped, installed (npm ci --offline) and started by its Procfile command against the local
 * PostgreSQL (pg Pool, password fetched from the Secrets Manager emulator) and Redis, as an instance
 * runs it behind nginx (nginx itself is not in the loop). BENCH_SECONDS (default 10) sets each load
 * run's length. Prints a summary and writes dist/eb/bench.json.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { directoryBytes } from '../eb-compat/bundle/zip.js';
import type { BundleProcess } from '../test/packaging/eb/support/bundle-process.js';
import { bundleStack } from '../test/packaging/eb/support/bundle-stack.js';
import { petsDir } from '../test/support/fixtures.js';
import { pettrackerLoads } from './compare-servers.js';
import { type LoadResult, runSpec } from './load.js';
import { machine, percentile, writeResults } from './stats.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
// 99 KB: a real photo from the test data (../shared/testdata or PETTRACKER_TESTDATA).
const photoPath = path.join(petsDir, 'Bengal_16.jpg');

const stack = await bundleStack();
const stop = async (server: BundleProcess) => {
  server.child.kill('SIGTERM');
  if ((await server.exited) !== 0) throw new Error(`exit code was not 0:\n${server.output().slice(-2000)}`);
};
try {
  const migrated = await stack.migrate();
  if (migrated.code !== 0) throw new Error(migrated.output);
  // Start-up: process spawn to the first 200 from /ready (model loaded and warm, database answering).
  const readyMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const server = await stack.start();
    readyMs.push(server.readyAfterMs);
    await stop(server);
  }

  const server = await stack.start();
  const loads: LoadResult[] = [];
  try {
    const { hit, save } = await pettrackerLoads(server.url, photoPath, (user) => stack.token(user), 0);
    const times = { connections: 16, warmupS: 0, durationS: seconds };
    loads.push(await runSpec({ ...hit, ...times, name: 'POST /predict, cache hit (Redis)' }));
    loads.push(await runSpec({ ...save, ...times, name: 'POST /predictions (pg Pool)' }));
  } finally {
    await stop(server);
  }

  const { zipBytes, unpackedBytes, entries } = stack.bundle.built;
  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    imageBytes: (await stat(photoPath)).size,
    seconds,
    bundle: {
      zipMb: mb(zipBytes),
      unpackedMb: mb(unpackedBytes),
      installedMb: mb(await directoryBytes(path.join(stack.bundle.dir, 'node_modules'))),
      entries: entries.map((e) => ({ file: e.file, mb: mb(e.bytes) })),
    },
    startupToReadyMs: {
      runs: readyMs.map(Math.round),
      p50: percentile(readyMs, 50),
      max: Math.round(Math.max(...readyMs)),
    },
    loads,
  };
  await writeResults('dist/eb/bench.json', results);
  console.log(`\n${results.machine}; image ${results.imageBytes} bytes; load runs ${seconds} s`);
  console.table([results.bundle].map(({ entries: _e, ...sizes }) => sizes));
  console.table([results.startupToReadyMs]);
  console.table(loads);
} finally {
  await stack.close();
}
