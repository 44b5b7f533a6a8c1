/**
 * npm run bench:compare: issue 10's side-by-side run. The Flask peer, the bare node:http floor, the
 * bare Express 5 floor and pettracker (Express runtime on PostgreSQL and Redis) are started together,
 * each pinned to CPU 1, and loaded in turn by the load generator, its own process pinned to CPU 0:
 * each path in rounds of short slices, every server once per round (compare-rounds.ts), so that the
 * ratios compare servers measured seconds apart. Prints req/s per path, RSS after the load and the
 * ratios the issue aims at, with their per-round spread; writes bench/results/compare.json. Then
 * (default on) the cache-miss row: MobileNet, a distinct image per request. Flags: compare-args.ts.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../shared/config.js';
import { petsDir } from '../test/support/fixtures.js';
import { parseCompareArgs, usage } from './compare-args.js';
import { type CompareFigures, printReport, ratiosOf, type ServerFigures } from './compare-report.js';
import { type Contender, runRounds } from './compare-rounds.js';
import { checkPrerequisites, runMiss, startFloor, startPeer, startPettracker } from './compare-servers.js';
import { type LoadResult, type LoadSpec, runPinned } from './load.js';
import { freshPostgres } from './servers.js';

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
const photo = await readFile(photoPath).catch(() =>
  fail(`${photoPath} not found: bench:compare needs ../shared/testdata (or PETTRACKER_TESTDATA)`),
);
const loadavgBefore = os.loadavg()[0] as number;

/** One slice of load (warm-up, then measured) from a separate process pinned to the load CPU. */
async function load(spec: LoadSpec): Promise<LoadResult> {
  process.stderr.write(
    `  ${spec.name}: ${spec.warmupS} s warm-up + ${spec.durationS} s, ${spec.connections} connections\n`,
  );
  const result = await runPinned<LoadResult>(
    LOAD_CPU,
    ['bench/load.ts', JSON.stringify(spec)],
    'load generator',
  );
  if (result.non2xx > 0 || result.errors > 0)
    process.stderr.write(`  warning: ${result.non2xx} non-2xx answers, ${result.errors} errors\n`);
  return result;
}

const figures: Partial<Record<string, ServerFigures>> = {};
const has = (name: (typeof options.only)[number]) => options.only.includes(name);
const db = has('pettracker') || has('miss') ? await freshPostgres(pgAdminUrl) : undefined;
const contenders: Contender<Pick<ServerFigures, 'rssMb' | 'peakRssMb'>>[] = [];
try {
  try {
    // Started one after the other, then all up together while the rounds run (an idle one costs no CPU).
    if (has('peer')) contenders.push(await startPeer(SERVER_CPU, photo, photoPath, options.listRows));
    if (has('http')) contenders.push(await startFloor('http', SERVER_CPU, photoPath));
    if (has('express')) contenders.push(await startFloor('express', SERVER_CPU, photoPath));
    if (db && has('pettracker')) {
      const { listRows, cpuProfDir } = options;
      const run = { databaseUrl: db.url, redisUrl, cpu: SERVER_CPU, cpuProfDir, listRows, photo, photoPath };
      contenders.push(await startPettracker(run));
    }
    const results = await runRounds(contenders, options, (spec, times) =>
      load({ ...spec, connections: options.connections, ...times }),
    );
    for (const c of contenders) figures[c.name] = { ...(await c.figures()), ...results[c.name] };
  } finally {
    for (const c of contenders.splice(0)) await c.stop();
  }
  if (db && has('miss')) {
    const { missConnections: connections, warmupS, missDurationS: durationS } = options;
    const missLoad = (spec: Omit<LoadSpec, 'connections' | 'warmupS' | 'durationS'>) =>
      load({ connections, warmupS, durationS, ...spec });
    const run = { options, databaseUrl: db.url, redisUrl, baselineCpu: SERVER_CPU, load: missLoad };
    Object.assign(figures, await runMiss(run));
  }
} finally {
  await db?.drop();
}

const git = (args: string[]) =>
  promisify(execFile)('git', args, { cwd: projectRoot }).then(
    (r) => r.stdout.trim(),
    () => '',
  );
const dirty = (await git(['status', '--porcelain', '--untracked-files=no'])) ? ' (dirty)' : '';
const cpus = os.cpus();
const result: CompareFigures = {
  date: new Date().toISOString(),
  // The code measured: before/after tables per change need to say which commit each run saw.
  commit: `${await git(['rev-parse', '--short', 'HEAD'])}${dirty}`,
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
    rounds: options.rounds,
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
