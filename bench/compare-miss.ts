/**
 * bench:compare's cache-miss row: pettracker on MobileNet (a Teachable-Machine-style export of the test
 * data's model), a distinct image per request, once per MODEL_WORKERS value, against a one-thread wasm
 * pipeline on the same model and photos (bench/compare-wasm.ts) pinned to the server's CPU.
 */
import { rm } from 'node:fs/promises';
import { mobilenetExport, mobilenetTeachableMetadata, petsDir } from '../test/support/fixtures.js';
import type { CompareOptions } from './compare-args.js';
import type { LoadSpec } from './compare-load.js';
import type { ServerFigures } from './compare-report.js';
import { treeRssMb } from './compare-servers.js';
import type { LoadResult } from './http-bench.js';
import { runPinnedJson } from './pinned-child.js';
import { startBenchServer } from './servers.js';

export interface MissRun {
  options: CompareOptions;
  databaseUrl: string;
  redisUrl: string;
  /** The CPU the one-thread baseline is pinned to: the server's in the other rows. */
  baselineCpu: string;
  load(
    spec: Omit<LoadSpec, 'connections' | 'warmupS' | 'durationS'> & Partial<LoadSpec>,
  ): Promise<LoadResult>;
  record(key: string, figures: ServerFigures): void;
}

export async function runMiss(run: MissRun): Promise<void> {
  console.error(`pettracker cache miss (MobileNet, wasm, CPUs ${run.options.missCpus ?? 'all'})`);
  const modelDir = await mobilenetExport(await mobilenetTeachableMetadata());
  try {
    await runMissOn(run, modelDir);
  } finally {
    // Only our metadata.json and symlinks to the test data's files: the model itself stays put.
    await rm(modelDir, { recursive: true, force: true });
  }
}

async function runMissOn(run: MissRun, modelDir: string): Promise<void> {
  const { options } = run;
  console.error(`  one-thread wasm pipeline: ${options.missDurationS} s`);
  const baseline = await runPinnedJson<NonNullable<ServerFigures['oneThreadWasm']>>(
    run.baselineCpu,
    ['bench/compare-wasm.ts', modelDir, petsDir, String(options.missDurationS)],
    'wasm baseline',
  );
  // One run per MODEL_WORKERS value, back to back, so that a comparison sees the same machine load.
  const runs = options.missWorkers.length > 0 ? options.missWorkers : [undefined];
  for (const workers of runs) {
    const key = workers === undefined ? 'miss' : `miss-${workers}w`;
    if (workers !== undefined) console.error(`  MODEL_WORKERS=${workers}`);
    const server = await startBenchServer(
      {
        DATABASE_URL: run.databaseUrl,
        MIGRATE_ON_START: 'true',
        REDIS_URL: run.redisUrl,
        MODEL_URI: modelDir,
        TFJS_BACKEND: 'wasm',
        ...(workers === undefined ? {} : { MODEL_WORKERS: String(workers) }),
      },
      { cpus: options.missCpus },
    );
    try {
      const res = await fetch(`${server.url}/model`);
      if (!res.ok) throw new Error(`pettracker /model answered ${res.status}`);
      const info = (await res.json()) as Record<string, unknown>;
      const miss = await run.load({
        name: `pettracker ${key}`,
        url: `${server.url}/predict`,
        method: 'POST',
        headers: { 'content-type': 'image/jpeg' },
        distinctJpegDir: petsDir,
        connections: options.missConnections,
        durationS: options.missDurationS,
      });
      run.record(key, {
        miss,
        rssMb: await treeRssMb(server.pid),
        peakRssMb: (await server.memoryMb()).peak,
        backend: String(info.backend ?? 'unknown'),
        workers: Number(info.workers ?? 0),
        oneThreadWasm: baseline,
      });
    } finally {
      await server.stop();
    }
  }
}
