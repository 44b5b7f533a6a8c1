/**
 * npm run bench:eb: figures of the Elastic Beanstalk bundle, measured on the bundle itself, built,
 * unzipped, installed (npm ci --offline) and started by its Procfile command against the local
 * PostgreSQL (pg Pool, password fetched from the Secrets Manager emulator) and Redis, as an instance
 * runs it behind nginx (nginx itself is not in the loop). BENCH_SECONDS (default 10) sets each load
 * run's length. Prints a summary and writes dist/eb/bench.json.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { directoryBytes } from '../eb-compat/bundle/zip.js';
import { projectRoot } from '../shared/config.js';
import type { BundleProcess } from '../test/packaging/eb/support/bundle-process.js';
import { bundleStack } from '../test/packaging/eb/support/bundle-stack.js';
import { petsDir } from '../test/support/fixtures.js';
import { type LoadResult, runLoad } from './load.js';
import { percentile } from './stats.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const starts = 5;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
// 99 KB: a real photo from the test data (../shared/testdata or PETTRACKER_TESTDATA).
const photo = await readFile(path.join(petsDir, 'Bengal_16.jpg'));

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
  for (let i = 0; i < starts; i++) {
    const server = await stack.start();
    readyMs.push(server.readyAfterMs);
    await stop(server);
  }

  const server = await stack.start();
  const loads: LoadResult[] = [];
  try {
    const imageHeaders = { 'content-type': 'image/jpeg' };
    const first = await fetch(`${server.url}/predict`, {
      method: 'POST',
      headers: imageHeaders,
      body: photo,
    });
    const predicted = (await first.json()) as { imageSha256: string; model: { version: string } };
    loads.push(
      await runLoad({
        name: 'POST /predict, cache hit (Redis)',
        url: `${server.url}/predict`,
        method: 'POST',
        headers: imageHeaders,
        body: photo,
        connections: 16,
        durationS: seconds,
      }),
    );
    const token = await stack.token('bench-eb');
    loads.push(
      await runLoad({
        name: 'POST /predictions (pg Pool)',
        url: `${server.url}/predictions`,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          breed: 'Bengal',
          confidence: 0.5,
          imageSha256: predicted.imageSha256,
          modelVersion: predicted.model.version,
          source: 'model',
        }),
        connections: 16,
        durationS: seconds,
      }),
    );
  } finally {
    await stop(server);
  }

  const results = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown cpu'}`,
    node: process.version,
    imageBytes: photo.length,
    seconds,
    bundle: {
      zipMb: mb(stack.bundle.built.zipBytes),
      unpackedMb: mb(stack.bundle.built.unpackedBytes),
      installedMb: mb(await directoryBytes(path.join(stack.bundle.dir, 'node_modules'))),
      entries: stack.bundle.built.entries.map((e) => ({ file: e.file, mb: mb(e.bytes) })),
    },
    startupToReadyMs: {
      runs: readyMs.map(Math.round),
      p50: percentile(readyMs, 50),
      max: Math.round(Math.max(...readyMs)),
    },
    loads,
  };
  await mkdir(path.join(projectRoot, 'dist', 'eb'), { recursive: true });
  await writeFile(
    path.join(projectRoot, 'dist', 'eb', 'bench.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  console.log(
    `\n${results.machine}, Node ${results.node}; image ${photo.length} bytes; load runs ${seconds} s`,
  );
  console.table([results.bundle].map(({ entries: _e, ...sizes }) => sizes));
  console.table([results.startupToReadyMs]);
  console.table(loads);
} finally {
  await stack.close();
}
