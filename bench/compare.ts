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
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../shared/config.js';
import { petsDir } from '../test/support/fixtures.js';
import { parseCompareArgs, usage } from './compare-args.js';
import { type CompareFigures, printReport, ratiosOf, type ServerFigures } from './compare-report.js';
import { type Contender, runRounds } from './compare-rounds.js';
import { checkPrerequisites, runMiss, startFloor, startPeer, startPettracker } from './compare-servers.js';
import { type LoadSpec, runScript } from './load.js';
import { freshPostgres } from './servers.js';
import { round, writeResults } from './stats.js';

const [SERVER_CPU, LOAD_CPU] = ['1', '0'];

/** A setup problem (bad flag, missing package) is a message for the operator, not a stack trace. */
function fail(error: unknown): never {
  console.error((error as Error).message);
  process.exit(2);
}
if (process.argv.includes('--help')) {
  console.log(usage);
  process.exit(0);
}
const options = await Promise.resolve(process.argv.slice(2)).then(parseCompareArgs).catch(fail);
await checkPrerequisites(options.only.includes('peer')).catch(fail);
const redisUrl = process.env.REDIS_BENCH_URL ?? 'redis://127.0.0.1:6379';
const photoPath = path.join(petsDir, 'beagle_10.jpg');
const photo = await readFile(photoPath).catch(() =>
  fail(`${photoPath} not found: bench:compare needs ../shared/testdata (or PETTRACKER_TESTDATA)`),
);
const loadavgBefore = round(os.loadavg()[0] as number);

/** One slice of load (warm-up, then measured) from a separate process pinned to the load CPU. */
async function load(spec: LoadSpec) {
  process.stderr.write(
    `  ${spec.name}: ${spec.warmupS} s warm-up + ${spec.durationS} s, ${spec.connections} connections\n`,
  );
  const result = await runScript<import('./load.js').LoadResult>(['bench/load.ts', JSON.stringify(spec)], {
    cpus: LOAD_CPU,
  });
  if (result.non2xx > 0 || result.errors > 0)
    process.stderr.write(`  warning: ${result.non2xx} non-2xx answers, ${result.errors} errors\n`);
  return result;
}

const figures: Partial<Record<string, ServerFigures>> = {};
const has = (name: (typeof options.only)[number]) => options.only.includes(name);
const db =
  has('pettracker') || has('miss')
    ? await freshPostgres(process.env.PG_BENCH_URL ?? 'postgres://root@127.0.0.1:5432/postgres')
    : undefined;
const contenders: Contender<Pick<ServerFigures, 'rssMb' | 'peakRssMb'>>[] = [];
try {
  try {
    // Started one after the other, then all up together while the rounds run (an idle one costs no CPU).
    if (has('peer')) contenders.push(await startPeer(SERVER_CPU, photo, photoPath, options.listRows));
    if (has('http')) contenders.push(await startFloor('http', SERVER_CPU, photoPath));
    if (has('express')) contenders.push(await startFloor('express', SERVER_CPU, photoPath));
    if (db && has('pettracker')) {
      const run = { databaseUrl: db.url, redisUrl, cpu: SERVER_CPU, photoPath };
      contenders.push(
        await startPettracker({ ...run, listRows: options.listRows, cpuProfDir: options.cpuProfDir }),
      );
    }
    const results = await runRounds(contenders, options, (spec, times) =>
      load({ ...spec, connections: options.connections, ...times }),
    );
    for (const c of contenders) figures[c.name] = { ...(await c.figures()), ...results[c.name] };
  } finally {
    for (const c of contenders.splice(0)) await c.stop();
  }
  if (db && has('miss')) {
    const { missConnections: connections, warmupS, durationS } = options;
    const missLoad = (spec: Omit<LoadSpec, 'connections' | 'warmupS' | 'durationS'>) =>
      load({ connections, warmupS, durationS, ...spec });
    const run = { options, databaseUrl: db.url, redisUrl, baselineCpu: SERVER_CPU, load: missLoad };
    Object.assign(figures, await runMiss(run));
  }
} finally {
  await db?.drop();
}

const git = (...args: string[]) =>
  promisify(execFile)('git', args, { cwd: projectRoot }).then(
    (r) => r.stdout.trim(),
    () => '',
  );
const dirty = (await git('status', '--porcelain', '--untracked-files=no')) ? ' (dirty)' : '';
const result: CompareFigures = {
  date: new Date().toISOString(),
  // The code measured: before/after tables per change need to say which commit each run saw.
  commit: `${await git('rev-parse', '--short', 'HEAD')}${dirty}`,
  machine: {
    nproc: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    // The 1-minute load average before and after: a busy machine shows here, and the figures with it.
    loadavg1Before: loadavgBefore,
    loadavg1After: round(os.loadavg()[0] as number),
  },
  load: {
    tool: 'autocannon',
    serverCpu: SERVER_CPU,
    loadCpu: LOAD_CPU,
    ...{ connections: options.connections, warmupS: options.warmupS, durationS: options.durationS },
    rounds: options.rounds,
    predictBody: `testdata/pets/beagle_10.jpg (${photo.length} bytes)`,
    listRows: options.listRows,
    miss: {
      connections: options.missConnections,
      durationS: options.durationS,
      serverCpus: 'all',
      workers: options.missWorkers.length > 0 ? options.missWorkers : 'server default (available cores)',
    },
  },
  servers: figures,
  ratios: ratiosOf(figures),
};
const out = await writeResults(options.out, result);
printReport(result);
console.log(`\nwritten: ${out}`);
