/**
 * The servers `bench:compare` measures, each its own process pinned to the server CPU, made ready for
 * the rounds: the Flask peer and the two floors of ../shared/bench-peer (with what the peer needs: Debian
 * packages, a PostgreSQL role and database, its Redis cache entry) and pettracker (the Express runtime as
 * Beanstalk runs it, the bundled default model, PostgreSQL and Redis); then the cache-miss row.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_MODEL_URI } from '../shared/config/env-schema.js';
import {
  mobilenetExport,
  mobilenetTeachableMetadata,
  petsDir,
  testdataDir,
} from '../test/support/fixtures.js';
import type { CompareOptions, LoadPath } from './compare-args.js';
import type { ServerFigures } from './compare-report.js';
import type { Contender, PathLoad } from './compare-rounds.js';
import { type LoadResult, type LoadSpec, runScript, runSpec } from './load.js';
import { type PinnedServer, startBenchServer, startPinned } from './servers.js';

const run = promisify(execFile);
const peerDir = path.resolve(testdataDir, '..', 'bench-peer');
const succeeds = (file: string, args: string[]) =>
  run(file, args).then(
    () => true,
    () => false,
  );
type Rss = Pick<ServerFigures, 'rssMb' | 'peakRssMb'>;

/** The answer's JSON; any non-2xx fails the run, naming what answered it. */
async function expectOk(res: Promise<Response>, what: string): Promise<unknown> {
  const answer = await res;
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${what} answered ${answer.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** `load`'s path answered `count` times, 8 at a time, any non-2xx failing the run: seeding, not measuring. */
async function seed(load: PathLoad, count: number): Promise<void> {
  const r = await runSpec({ ...load, connections: 8, warmupS: 0, durationS: 1, amount: count });
  if (r.non2xx + r.errors > 0 || r.requests < count) throw new Error(`seeding ${load.name} failed`);
}

/** Fails with the exact install line when a tool the comparison needs is missing. */
export async function checkPrerequisites(needPeer: boolean): Promise<void> {
  const missing = (await succeeds('taskset', ['-V'])) ? [] : ['util-linux'];
  if (needPeer) {
    // Importable by the Python in gunicorn's shebang, which need not be the python3 first on PATH.
    const shebang = await run('sh', ['-c', 'head -1 "$(command -v gunicorn)"']).then(
      (r) => r.stdout,
      () => '',
    );
    const python = /^#!\s*(\S+)/.exec(shebang)?.[1];
    if (!python) missing.push('gunicorn');
    for (const module of ['flask', 'psycopg2', 'redis'])
      if (!python || !(await succeeds(python, ['-c', `import ${module}`]))) missing.push(`python3-${module}`);
    if (!(await succeeds('psql', ['--version']))) missing.push('postgresql-client');
    if (!(await succeeds('redis-cli', ['--version']))) missing.push('redis-tools');
  }
  if (missing.length > 0)
    throw new Error(
      `bench:compare needs: apt-get update && apt-get install -y ${missing.join(' ')}` +
        '\n(or leave the peer out: --only=http,express,pettracker,miss)',
    );
}

/** The cache-hit predict load, the same for every server: the one photo, raw JPEG. */
const hitLoad = (name: string, url: string, bodyFile: string): PathLoad => ({
  name: `${name} hit`,
  url: `${url}/predict`,
  method: 'POST',
  headers: { 'content-type': 'image/jpeg' },
  bodyFile,
});

function contender(name: string, server: PinnedServer, loads: Contender<Rss>['loads']): Contender<Rss> {
  return { name, loads, figures: async () => ({ rssMb: await server.rssMb() }), stop: () => server.stop() };
}

/**
 * The peer connects as the OS user over the local socket (run.sh's psql, app.py's pool): that role must
 * exist (created as the postgres superuser when missing) and own pettracker_peer, its table emptied so
 * its list reads the same few hundred rows whatever earlier runs left; its cache entry for the photo.
 */
export async function startPeer(cpu: string, photo: Buffer, photoPath: string, listRows: number) {
  console.error('Flask peer (gunicorn 3 workers x 2 threads)');
  if (!(await succeeds('psql', ['-d', 'postgres', '-Atc', 'select 1']))) {
    const create = ['-d', 'postgres', '-c', `CREATE ROLE "${os.userInfo().username}" SUPERUSER LOGIN`];
    if (
      !(await succeeds('psql', ['-U', 'postgres', ...create])) &&
      !(await succeeds('runuser', ['-u', 'postgres', '--', 'psql', ...create]))
    )
      throw new Error(`cannot create the PostgreSQL role "${os.userInfo().username}"`);
  }
  await succeeds('createdb', ['pettracker_peer']); // fails when it exists
  const cached = JSON.stringify({ breed: 'beagle', confidence: 0.9 });
  const key = `prediction:${createHash('sha256').update(photo).digest('hex')}`;
  await run('redis-cli', ['-h', '127.0.0.1', 'set', key, cached]);
  // run.sh applies schema.sql, then execs gunicorn (3 workers x 2 threads): the pid is the master's.
  const peer = await startPinned('Flask peer', () => [path.join(peerDir, 'run.sh')], {
    cpus: cpu,
    cwd: peerDir,
    probe: '/predictions',
  });
  const saves = `${peer.url}/predictions`;
  const json = (user: string) => ({ 'content-type': 'application/json', 'x-user': user });
  const body = JSON.stringify({ breed: 'beagle', confidence: 0.5 });
  try {
    await run('psql', ['-q', '-d', 'pettracker_peer', '-c', 'TRUNCATE predictions']);
    await expectOk(fetch(`${peer.url}/predict`, { method: 'POST', body: photo }), 'peer cache-hit predict');
    await seed(
      { name: 'peer list', url: saves, method: 'POST', headers: json('bench-list'), bodyText: body },
      listRows,
    );
    const rows = await expectOk(fetch(saves, { headers: json('bench-list') }), 'peer list');
    if ((rows as unknown[]).length !== 20) throw new Error('peer list did not answer 20 rows');
  } catch (error) {
    await peer.stop();
    throw error;
  }
  return contender('peer', peer, {
    hit: hitLoad('peer', peer.url, photoPath),
    save: { name: 'peer save', url: saves, method: 'POST', headers: json('bench-save'), bodyText: cached },
    list: { name: 'peer list', url: saves, method: 'GET', headers: { 'x-user': 'bench-list' } },
  });
}

/** node:http or Express 5 that only hashes the body (run from the project root, to find its express). */
export async function startFloor(name: 'http' | 'express', cpu: string, photoPath: string) {
  console.error(name === 'http' ? 'bare node:http floor' : 'bare Express 5 floor');
  const script = path.join(peerDir, name === 'http' ? 'floor-http.mjs' : 'express-floor.cjs');
  const floor = await startPinned(`${name} floor`, (port) => ['node', script, String(port)], {
    cpus: cpu,
    probe: '/predict',
    method: 'POST',
  });
  return contender(name, floor, { hit: hitLoad(`${name} floor`, floor.url, photoPath) });
}

export interface PettrackerRun {
  databaseUrl: string;
  redisUrl: string;
  cpu: string;
  cpuProfDir: string | undefined;
  listRows: number;
  photoPath: string;
}

/**
 * pettracker's loads on a started server: the photo predicted twice (the second must be a cache hit),
 * the list user's history seeded with `listRows` saves; saves and lists as signed-in users.
 */
export async function pettrackerLoads(
  url: string,
  photoPath: string,
  token: (user: string) => Promise<string>,
  listRows: number,
): Promise<Record<LoadPath, PathLoad>> {
  const init = { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: await readFile(photoPath) };
  await expectOk(fetch(`${url}/predict`, init), 'pettracker predict');
  const answer = (await expectOk(fetch(`${url}/predict`, init), 'pettracker predict')) as {
    cached: boolean;
    imageSha256: string;
    model: { version: string };
    predictions: { breed: string }[];
  };
  if (!answer.cached) throw new Error('pettracker: the second predict of the photo was not a cache hit');
  const { imageSha256, model } = answer;
  const breed = answer.predictions[0]?.breed;
  const body = JSON.stringify({
    breed,
    confidence: 0.9,
    imageSha256,
    modelVersion: model.version,
    source: 'model',
  });
  const saves = `${url}/predictions`;
  const saveAs = async (user: string): Promise<PathLoad> => ({
    name: 'pettracker save',
    url: saves,
    method: 'POST',
    headers: { authorization: `Bearer ${await token(user)}`, 'content-type': 'application/json' },
    bodyText: body,
  });
  const headers = { authorization: `Bearer ${await token('bench-list')}` };
  if (listRows > 0) {
    await seed(await saveAs('bench-list'), listRows);
    const page = await expectOk(fetch(`${saves}?limit=20`, { headers }), 'pettracker list');
    if ((page as { items: unknown[] }).items.length !== 20)
      throw new Error('pettracker list did not answer 20 rows');
  }
  return {
    hit: hitLoad('pettracker', url, photoPath),
    save: await saveAs('bench-save'),
    list: { name: 'pettracker list', url: `${saves}?limit=20`, method: 'GET', headers },
  };
}

/** pettracker on a fresh database: the cache seeded with the photo, the list user's history with rows. */
export async function startPettracker(r: PettrackerRun): Promise<Contender<Rss>> {
  console.error('pettracker (Express runtime, PostgreSQL, Redis)');
  // The bundled default model, as production serves it: its weights count in the RSS figure.
  const env = { DATABASE_URL: r.databaseUrl, MIGRATE_ON_START: 'true', REDIS_URL: r.redisUrl };
  const server = await startBenchServer(
    { ...env, MODEL_URI: DEFAULT_MODEL_URI },
    {
      cpus: r.cpu,
      nodeFlags: r.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(r.cpuProfDir)}`] : [],
    },
  );
  try {
    const loads = await pettrackerLoads(server.url, r.photoPath, (user) => server.token(user), r.listRows);
    return {
      ...contender('pettracker', server, loads),
      figures: async () => ({ rssMb: await server.rssMb(), peakRssMb: await server.peakRssMb() }),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

export interface MissRun {
  options: CompareOptions;
  databaseUrl: string;
  redisUrl: string;
  /** The CPU the one-thread baseline is pinned to: the server's in the other rows. */
  baselineCpu: string;
  load(spec: Omit<LoadSpec, 'connections' | 'warmupS' | 'durationS'>): Promise<LoadResult>;
}

/**
 * The cache-miss row: pettracker on MobileNet (a Teachable-Machine-style export of the test data's
 * model), a distinct image per request, once per MODEL_WORKERS value, back to back so that they see the
 * same machine, against the one-thread wasm pipeline on the same model and photos (model-bench.ts).
 */
export async function runMiss(r: MissRun): Promise<Record<string, ServerFigures>> {
  console.error('pettracker cache miss (MobileNet, wasm, all CPUs)');
  const modelDir = await mobilenetExport(await mobilenetTeachableMetadata());
  const rows: Record<string, ServerFigures> = {};
  try {
    const baseline = await runScript<NonNullable<ServerFigures['oneThreadWasm']>>(
      ['bench/model-bench.ts', modelDir, petsDir, String(r.options.durationS)],
      { cpus: r.baselineCpu },
    );
    for (const workers of r.options.missWorkers.length > 0 ? r.options.missWorkers : [undefined]) {
      const key = workers === undefined ? 'miss' : `miss-${workers}w`;
      const server = await startBenchServer({
        ...{ DATABASE_URL: r.databaseUrl, MIGRATE_ON_START: 'true', REDIS_URL: r.redisUrl },
        ...{ MODEL_URI: modelDir, TFJS_BACKEND: 'wasm' },
        ...(workers ? { MODEL_WORKERS: String(workers) } : {}),
      });
      try {
        const info = (await expectOk(fetch(`${server.url}/model`), 'pettracker /model')) as Record<
          string,
          unknown
        >;
        const miss = await r.load({
          name: `pettracker ${key}`,
          url: `${server.url}/predict`,
          method: 'POST',
          headers: { 'content-type': 'image/jpeg' },
          distinctJpegDir: petsDir,
        });
        rows[key] = {
          miss,
          rssMb: await server.rssMb(),
          peakRssMb: await server.peakRssMb(),
          backend: String(info.backend ?? 'unknown'),
          workers: Number(info.workers ?? 0),
          oneThreadWasm: baseline,
        };
      } finally {
        await server.stop();
      }
    }
  } finally {
    // Only our metadata.json and symlinks to the test data's files: the model itself stays put.
    await rm(modelDir, { recursive: true, force: true });
  }
  return rows;
}
