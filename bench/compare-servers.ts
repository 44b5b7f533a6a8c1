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
import type { CompareOptions } from './compare-args.js';
import type { ServerFigures } from './compare-report.js';
import { type Contender, hitLoad, type PathLoad } from './compare-rounds.js';
import { type LoadResult, type LoadSpec, runPinned } from './load.js';
import { type PinnedServer, startBenchServer, startPinned } from './servers.js';

const run = promisify(execFile);
const peerDir = path.resolve(testdataDir, '..', 'bench-peer');
const peerDatabase = 'pettracker_peer';
type Rss = Pick<ServerFigures, 'rssMb' | 'peakRssMb'>;

const succeeds = (file: string, args: string[]) =>
  run(file, args).then(
    () => true,
    () => false,
  );

/** The answer's JSON; any non-2xx fails the run, naming what answered it. */
async function expectOk(res: Promise<Response>, what: string): Promise<unknown> {
  const answer = await res;
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${what} answered ${answer.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Sends `count` requests, 8 at a time, failing on any non-2xx: seeding, not measuring. */
async function seed(count: number, send: () => Promise<Response>): Promise<void> {
  let left = count;
  const worker = async () => {
    while (left-- > 0) await expectOk(send(), 'seeding');
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Fails with the exact install line when a tool the comparison needs is missing. */
export async function checkPrerequisites(needPeer: boolean): Promise<void> {
  const missing: string[] = [];
  if (!(await succeeds('taskset', ['-V']))) missing.push('util-linux');
  if (needPeer) {
    // Importable by the Python in gunicorn's shebang, which need not be the python3 first on PATH.
    const bin = (await run('sh', ['-c', 'command -v gunicorn']).catch(() => undefined))?.stdout.trim();
    const shebang = bin ? ((await readFile(bin, 'utf8')).split('\n')[0] ?? '') : '';
    const python = shebang.startsWith('#!') ? shebang.slice(2).trim().split(/\s+/)[0] : 'python3';
    if (!bin) missing.push('gunicorn');
    for (const module of ['flask', 'psycopg2', 'redis'])
      if (!bin || !(await succeeds(python as string, ['-c', `import ${module}`])))
        missing.push(`python3-${module}`);
    if (!(await succeeds('psql', ['--version']))) missing.push('postgresql-client');
    if (!(await succeeds('redis-cli', ['--version']))) missing.push('redis-tools');
  }
  if (missing.length > 0)
    throw new Error(
      `bench:compare needs: apt-get update && apt-get install -y ${missing.join(' ')}` +
        '\n(or leave the peer out: --only=http,express,pettracker,miss)',
    );
}

/**
 * The peer connects as the OS user over the local socket (run.sh's psql, app.py's pool): that role must
 * exist (created as the postgres superuser when missing) and own pettracker_peer, its table emptied so
 * its list reads the same few hundred rows whatever earlier runs left; its cache entry for the photo.
 */
async function preparePeerDatabase(photoSha256: string): Promise<void> {
  const user = os.userInfo().username;
  if (!(await succeeds('psql', ['-d', 'postgres', '-Atc', 'select 1']))) {
    const create = `CREATE ROLE "${user}" SUPERUSER LOGIN`;
    const asPostgres =
      (await succeeds('psql', ['-U', 'postgres', '-d', 'postgres', '-c', create])) ||
      (await succeeds('runuser', ['-u', 'postgres', '--', 'psql', '-d', 'postgres', '-c', create]));
    if (!asPostgres) throw new Error(`cannot create the PostgreSQL role "${user}"`);
  }
  const exists = `select 1 from pg_database where datname = '${peerDatabase}'`;
  if ((await run('psql', ['-d', 'postgres', '-Atc', exists])).stdout.trim() !== '1')
    await run('createdb', [peerDatabase]);
  const cached = JSON.stringify({ breed: 'beagle', confidence: 0.9 });
  await run('redis-cli', ['-h', '127.0.0.1', 'set', `prediction:${photoSha256}`, cached]);
}

function contender(name: string, server: PinnedServer, loads: Contender<Rss>['loads']): Contender<Rss> {
  return {
    name,
    loads,
    figures: async () => ({ rssMb: await server.rssMb() }),
    stop: () => server.stop(),
  };
}

export async function startPeer(cpu: string, photo: Buffer, photoPath: string, listRows: number) {
  console.error('Flask peer (gunicorn 3 workers x 2 threads)');
  await preparePeerDatabase(createHash('sha256').update(photo).digest('hex'));
  // run.sh applies schema.sql, then execs gunicorn (3 workers x 2 threads): the pid is the master's.
  const peer = await startPinned('Flask peer', () => [path.join(peerDir, 'run.sh')], {
    cpus: cpu,
    cwd: peerDir,
    probe: '/predictions',
  });
  const json = (user: string) => ({ 'content-type': 'application/json', 'x-user': user });
  try {
    await run('psql', ['-q', '-d', peerDatabase, '-c', 'TRUNCATE predictions']);
    await expectOk(fetch(`${peer.url}/predict`, { method: 'POST', body: photo }), 'peer cache-hit predict');
    const body = JSON.stringify({ breed: 'beagle', confidence: 0.5 });
    const headers = json('bench-list');
    await seed(listRows, () => fetch(`${peer.url}/predictions`, { method: 'POST', headers, body }));
    const rows = await expectOk(fetch(`${peer.url}/predictions`, { headers }), 'peer list');
    if ((rows as unknown[]).length !== 20) throw new Error('peer list did not answer 20 rows');
  } catch (error) {
    await peer.stop();
    throw error;
  }
  return contender('peer', peer, {
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
  });
}

/** node:http or Express 5 that only hashes the body (run from the project root, to find its express). */
export async function startFloor(name: 'http' | 'express', cpu: string, photoPath: string) {
  console.error(name === 'http' ? 'bare node:http floor' : 'bare Express 5 floor');
  const script = name === 'http' ? 'floor-http.mjs' : 'express-floor.cjs';
  const floor = await startPinned(
    `${name} floor`,
    (port) => ['node', path.join(peerDir, script), String(port)],
    {
      cpus: cpu,
      probe: '/predict',
      method: 'POST',
    },
  );
  return contender(name, floor, { hit: hitLoad(`${name} floor`, floor.url, photoPath) });
}

export interface PettrackerRun {
  databaseUrl: string;
  redisUrl: string;
  cpu: string;
  cpuProfDir: string | undefined;
  listRows: number;
  photo: Buffer;
  photoPath: string;
}

/** pettracker on a fresh database: the cache seeded with the photo, the list user's history with rows. */
export async function startPettracker(r: PettrackerRun): Promise<Contender<Rss>> {
  console.error('pettracker (Express runtime, PostgreSQL, Redis)');
  const server = await startBenchServer(
    // The bundled default model, as production serves it: its weights count in the RSS figure.
    {
      DATABASE_URL: r.databaseUrl,
      MIGRATE_ON_START: 'true',
      REDIS_URL: r.redisUrl,
      MODEL_URI: DEFAULT_MODEL_URI,
    },
    {
      cpus: r.cpu,
      nodeFlags: r.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(r.cpuProfDir)}`] : [],
    },
  );
  try {
    const predict = () =>
      fetch(`${server.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg' },
        body: r.photo,
      });
    await expectOk(predict(), 'pettracker predict');
    const answer = (await expectOk(predict(), 'pettracker predict')) as {
      cached: boolean;
      imageSha256: string;
      model: { version: string };
      predictions: { breed: string }[];
    };
    if (!answer.cached) throw new Error('pettracker: the second predict of the photo was not a cache hit');
    const headers = async (user: string) => ({
      authorization: `Bearer ${await server.token(user)}`,
      'content-type': 'application/json',
    });
    const body = JSON.stringify({
      breed: answer.predictions[0]?.breed,
      confidence: 0.9,
      imageSha256: answer.imageSha256,
      modelVersion: answer.model.version,
      source: 'model',
    });
    const listHeaders = await headers('bench-list');
    const saves = `${server.url}/predictions`;
    await seed(r.listRows, () => fetch(saves, { method: 'POST', headers: listHeaders, body }));
    const page = await expectOk(fetch(`${saves}?limit=20`, { headers: listHeaders }), 'pettracker list');
    if ((page as { items: unknown[] }).items.length !== 20)
      throw new Error('pettracker list did not answer 20 rows');
    const save: PathLoad = {
      name: 'pettracker save',
      url: saves,
      method: 'POST',
      headers: await headers('bench-save'),
      bodyText: body,
    };
    const list: PathLoad = {
      name: 'pettracker list',
      url: `${saves}?limit=20`,
      method: 'GET',
      headers: { authorization: listHeaders.authorization },
    };
    return {
      ...contender('pettracker', server, { hit: hitLoad('pettracker', server.url, r.photoPath), save, list }),
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
  const { options } = r;
  console.error(`pettracker cache miss (MobileNet, wasm, CPUs ${options.missCpus ?? 'all'})`);
  const modelDir = await mobilenetExport(await mobilenetTeachableMetadata());
  const rows: Record<string, ServerFigures> = {};
  try {
    const seconds = String(options.missDurationS);
    const baseline = await runPinned<NonNullable<ServerFigures['oneThreadWasm']>>(
      r.baselineCpu,
      ['bench/model-bench.ts', modelDir, petsDir, seconds],
      'wasm baseline',
    );
    for (const workers of options.missWorkers.length > 0 ? options.missWorkers : [undefined]) {
      const key = workers === undefined ? 'miss' : `miss-${workers}w`;
      const env = { DATABASE_URL: r.databaseUrl, MIGRATE_ON_START: 'true', REDIS_URL: r.redisUrl };
      const server = await startBenchServer(
        {
          ...env,
          MODEL_URI: modelDir,
          TFJS_BACKEND: 'wasm',
          ...(workers ? { MODEL_WORKERS: String(workers) } : {}),
        },
        { cpus: options.missCpus },
      );
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
