/**
 * npm run bench:compare: issue 10's side-by-side run. The Flask peer, the bare node:http floor, the
 * bare Express 5 floor and pettracker (Express runtime on PostgreSQL and Redis) are started together,
 * each pinned to CPU 1, and loaded in turn by the load generator, its own process pinned to CPU 0:
 * each path in rounds of short slices, every server once per round (compare-rounds.ts), so that the
 * ratios compare servers measured seconds apart. Prints req/s per path, RSS after the load and the
 * ratios the issue aims at, with their per-round spread; writes bench/results/compare.json.
 * Optionally (default on) the cache-miss row of compare-miss.ts: MobileNet, a distinct image per request.
 * Flags: see compare-args.ts (`--help`).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../shared/config.js';
import { petsDir } from '../test/support/fixtures.js';
import { type LoadPath, parseCompareArgs, usage } from './compare-args.js';
import type { LoadSpec } from './compare-load.js';
import { runMiss } from './compare-miss.js';
import { startPettracker } from './compare-pettracker.js';
import { type CompareFigures, printReport, ratiosOf, type ServerFigures } from './compare-report.js';
import { type Contender, hitLoad, runRounds } from './compare-rounds.js';
import {
  checkPrerequisites,
  ensurePeerDatabase,
  resetPeerTable,
  seedPeerCache,
  startExpressFloor,
  startHttpFloor,
  startPeer,
} from './compare-servers.js';
import type { LoadResult } from './http-bench.js';
import { runPinnedJson } from './pinned-child.js';
import { expectStatus, seed } from './predict-answer.js';
import { freshPostgres } from './servers.js';

const run = promisify(execFile);
const SERVER_CPU = '1';
const LOAD_CPU = '0';

if (process.argv.includes('--help')) {
  console.log(usage);
  process.exit(0);
}
/** A setup problem (bad flag, missing package) is a message for the operator, not a stack trace. */
function fail(error: unknown): never {
  console.error((error as Error).message);
  process.exit(2);
}
const options = (() => {
  try {
    return parseCompareArgs(process.argv.slice(2));
  } catch (error) {
    fail(error);
  }
})();
await checkPrerequisites(options.only.includes('peer')).catch(fail);
const pgAdminUrl = process.env.PG_BENCH_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_BENCH_URL ?? 'redis://127.0.0.1:6379';

const photoPath = path.join(petsDir, 'beagle_10.jpg');
const photo = await readFile(photoPath).catch(() => {
  throw new Error(`${photoPath} not found: bench:compare needs ../shared/testdata (or PETTRACKER_TESTDATA)`);
});
const photoSha256 = createHash('sha256').update(photo).digest('hex');
const loadavgBefore = os.loadavg()[0] as number;

/** One slice of load (warm-up, then measured) from a separate process pinned to the load CPU. */
async function load(spec: LoadSpec): Promise<LoadResult> {
  process.stderr.write(
    `  ${spec.name}: ${spec.warmupS} s warm-up + ${spec.durationS} s, ${spec.connections} connections\n`,
  );
  const result = await runPinnedJson<LoadResult>(
    LOAD_CPU,
    ['bench/compare-load.ts', JSON.stringify(spec)],
    'load generator',
  );
  if (result.non2xx > 0 || result.errors > 0)
    process.stderr.write(`  warning: ${result.non2xx} non-2xx answers, ${result.errors} errors\n`);
  return result;
}

const imageHeaders = { 'content-type': 'image/jpeg' };

async function startPeerContender(): Promise<Contender<Pick<ServerFigures, 'rssMb'>>> {
  console.error('Flask peer (gunicorn 3 workers x 2 threads)');
  await ensurePeerDatabase();
  await seedPeerCache(photoSha256);
  const peer = await startPeer(SERVER_CPU);
  const json = (user: string) => ({ 'content-type': 'application/json', 'x-user': user });
  try {
    await resetPeerTable();
    await expectStatus(
      await fetch(`${peer.url}/predict`, { method: 'POST', headers: imageHeaders, body: photo }),
      'peer cache-hit predict',
    );
    await seed(options.listRows, 8, (i) =>
      fetch(`${peer.url}/predictions`, {
        method: 'POST',
        headers: json('bench-list'),
        body: JSON.stringify({ breed: 'beagle', confidence: (i % 100) / 100 }),
      }),
    );
    const rows = (await expectStatus(
      await fetch(`${peer.url}/predictions`, { headers: { 'x-user': 'bench-list' } }),
      'peer list',
    )) as unknown[];
    if (rows.length !== 20) throw new Error(`peer list answered ${rows.length} rows, not 20`);
  } catch (error) {
    await peer.stop();
    throw error;
  }
  return {
    name: 'peer',
    loads: {
      hit: hitLoad('peer', peer.url, photoPath),
      save: {
        name: 'peer save',
        url: `${peer.url}/predictions`,
        method: 'POST',
        headers: json('bench-save'),
        bodyText: JSON.stringify({ breed: 'beagle', confidence: 0.9 }),
      },
      list: {
        name: 'peer list',
        url: `${peer.url}/predictions`,
        method: 'GET',
        headers: { 'x-user': 'bench-list' },
      },
    },
    figures: async () => ({ rssMb: await peer.rssMb() }),
    stop: () => peer.stop(),
  };
}

async function startFloorContender(
  name: 'http' | 'express',
): Promise<Contender<Pick<ServerFigures, 'rssMb'>>> {
  console.error(name === 'http' ? 'bare node:http floor' : 'bare Express 5 floor');
  const floor = await (name === 'http' ? startHttpFloor(SERVER_CPU) : startExpressFloor(SERVER_CPU));
  return {
    name,
    loads: { hit: hitLoad(`${name} floor`, floor.url, photoPath) },
    figures: async () => ({ rssMb: await floor.rssMb() }),
    stop: () => floor.stop(),
  };
}

const figures: Partial<Record<string, ServerFigures>> = {};
const needsDb = options.only.includes('pettracker') || options.only.includes('miss');
const db = needsDb ? await freshPostgres(pgAdminUrl) : undefined;
const contenders: Contender<Omit<ServerFigures, LoadPath>>[] = [];
try {
  // Started one after the other, then all up together while the rounds run (an idle one costs no CPU).
  if (options.only.includes('peer')) contenders.push(await startPeerContender());
  if (options.only.includes('http')) contenders.push(await startFloorContender('http'));
  if (options.only.includes('express')) contenders.push(await startFloorContender('express'));
  if (db && options.only.includes('pettracker')) {
    contenders.push(
      await startPettracker({
        databaseUrl: db.url,
        redisUrl,
        serverCpu: SERVER_CPU,
        cpuProfDir: options.cpuProfDir,
        listRows: options.listRows,
        photo,
        photoPath,
      }),
    );
  }
  const results = await runRounds(contenders, options, (spec, times) =>
    load({ ...spec, connections: options.connections, ...times }),
  );
  for (const contender of contenders)
    figures[contender.name] = { ...(await contender.figures()), ...results[contender.name] };
} finally {
  for (const contender of contenders.splice(0)) await contender.stop();
}
try {
  if (db && options.only.includes('miss')) {
    await runMiss({
      options,
      databaseUrl: db.url,
      redisUrl,
      baselineCpu: SERVER_CPU,
      load: (spec) =>
        load({
          connections: options.missConnections,
          warmupS: options.warmupS,
          durationS: options.missDurationS,
          ...spec,
        }),
      record: (key, row) => {
        figures[key] = row;
      },
    });
  }
} finally {
  await db?.drop();
}

const cpus = os.cpus();
const git = (args: string[]) =>
  run('git', args, { cwd: projectRoot }).then(
    (r) => r.stdout.trim(),
    () => '',
  );
const result: CompareFigures = {
  date: new Date().toISOString(),
  // The code measured: before/after tables per change need to say which commit each run saw.
  commit: `${await git(['rev-parse', '--short', 'HEAD'])}${(await git(['status', '--porcelain', '--untracked-files=no'])) ? ' (dirty)' : ''}`,
  ...(options.note ? { note: options.note } : {}),
  machine: {
    nproc: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    // The 1-minute load average before and after: a busy machine shows here, and the figures with it.
    loadavg1Before: Math.round(loadavgBefore * 100) / 100,
    loadavg1After: Math.round((os.loadavg()[0] as number) * 100) / 100,
  },
  load: {
    tool: 'autocannon',
    serverCpu: SERVER_CPU,
    loadCpu: LOAD_CPU,
    connections: options.connections,
    warmupS: options.warmupS,
    durationS: options.durationS,
    predictBody: `testdata/pets/beagle_10.jpg (${photo.length} bytes)`,
    listRows: options.listRows,
    miss: {
      connections: options.missConnections,
      durationS: options.missDurationS,
      serverCpus: options.missCpus ?? 'all',
      workers: options.missWorkers.length > 0 ? options.missWorkers : 'server default (available cores)',
    },
  },
  servers: figures,
  ratios: ratiosOf(figures),
};
const out = path.resolve(projectRoot, options.out);
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
printReport(result);
console.log(`\nwritten: ${out}`);
