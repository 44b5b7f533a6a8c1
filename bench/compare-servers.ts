/**
 * The servers `bench:compare` measures beside pettracker: the Flask peer and the two floors from
 * ../shared/bench-peer, each its own pinned process, plus what the peer needs (Debian packages, a
 * PostgreSQL role and database, its Redis cache entry) and RSS read from /proc.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../shared/config.js';
import { testdataDir } from '../test/support/fixtures.js';
import { freePort } from '../test/support/spawn-server.js';

const run = promisify(execFile);
export const peerDir = path.resolve(testdataDir, '..', 'bench-peer');
export const peerDatabase = 'pettracker_peer';

export interface PinnedServer {
  url: string;
  pid: number;
  /** VmRSS in MB of the process and all its descendants (gunicorn: master + workers). */
  rssMb(): Promise<number>;
  stop(): Promise<void>;
}

async function succeeds(file: string, args: string[]): Promise<boolean> {
  return run(file, args).then(
    () => true,
    () => false,
  );
}

/** The interpreter named in gunicorn's shebang, or undefined when gunicorn is not on PATH. */
async function gunicornPython(): Promise<string | undefined> {
  const found = await run('sh', ['-c', 'command -v gunicorn']).catch(() => undefined);
  const bin = found?.stdout.trim();
  if (!bin) return undefined;
  const first = (await readFile(bin, 'utf8')).split('\n')[0] ?? '';
  return first.startsWith('#!') ? first.slice(2).trim().split(/\s+/)[0] : 'python3';
}

/** Fails with the exact install line when a tool the comparison needs is missing. */
export async function checkPrerequisites(needPeer: boolean): Promise<void> {
  const missing: string[] = [];
  if (!(await succeeds('taskset', ['-V']))) missing.push('util-linux (taskset)');
  if (needPeer) {
    const modules: [string, string][] = [
      ['flask', 'python3-flask'],
      ['psycopg2', 'python3-psycopg2'],
      ['redis', 'python3-redis'],
    ];
    // The modules must be importable by the Python that runs gunicorn (its shebang), which need not
    // be the python3 first on PATH (pyenv, venvs).
    const python = await gunicornPython();
    if (!python) missing.push('gunicorn');
    for (const [module, pkg] of modules)
      if (!python || !(await succeeds(python, ['-c', `import ${module}`]))) missing.push(pkg);
    if (!(await succeeds('psql', ['--version']))) missing.push('postgresql-client');
    if (!(await succeeds('redis-cli', ['--version']))) missing.push('redis-tools');
  }
  if (missing.length > 0) {
    const pkgs = missing.map((m) => m.split(' ')[0]).join(' ');
    throw new Error(
      `bench:compare needs: ${missing.join(', ')}\ninstall with: apt-get update && apt-get install -y ${pkgs}` +
        `\n(or leave the peer out: --only=http,express,pettracker,miss)`,
    );
  }
}

/**
 * The peer connects as the OS user over the local socket (run.sh's psql, app.py's pool): that role
 * must exist and own pettracker_peer. Created as the postgres superuser when missing.
 */
export async function ensurePeerDatabase(): Promise<void> {
  const user = os.userInfo().username;
  if (!(await succeeds('psql', ['-d', 'postgres', '-Atc', 'select 1']))) {
    const create = `CREATE ROLE "${user}" SUPERUSER LOGIN`;
    const asPostgres =
      (await succeeds('psql', ['-U', 'postgres', '-d', 'postgres', '-c', create])) ||
      (await succeeds('runuser', ['-u', 'postgres', '--', 'psql', '-d', 'postgres', '-c', create]));
    if (!asPostgres)
      throw new Error(`cannot create the PostgreSQL role "${user}" (tried psql -U postgres and runuser)`);
  }
  const { stdout } = await run('psql', [
    '-d',
    'postgres',
    '-Atc',
    `select 1 from pg_database where datname = '${peerDatabase}'`,
  ]);
  if (stdout.trim() !== '1') await run('createdb', [peerDatabase]);
}

/** The peer's cache entry for a photo, in the form app.py reads. */
export async function seedPeerCache(sha256: string): Promise<void> {
  await run('redis-cli', [
    '-h',
    '127.0.0.1',
    'set',
    `prediction:${sha256}`,
    JSON.stringify({ breed: 'beagle', confidence: 0.9 }),
  ]);
}

/** An empty peer table, so its list reads the same few hundred rows whatever earlier runs left. */
export async function resetPeerTable(): Promise<void> {
  await run('psql', ['-q', '-d', peerDatabase, '-c', 'TRUNCATE predictions']);
}

async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Field 4 (ppid) follows the parenthesised command name, which may itself hold spaces.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!parents.has(ppid)) parents.set(ppid, []);
    parents.get(ppid)?.push(Number(entry));
  }
  const all: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    all.push(next);
    queue.push(...(parents.get(next) ?? []));
  }
  return all;
}

/** VmRSS of a process and its descendants, in MB. */
export async function treeRssMb(pid: number): Promise<number> {
  let kb = 0;
  for (const p of await descendants(pid)) {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return Math.round(kb / 1024);
}

/** Starts `command(port)` pinned to `cpus`, with PORT set too, and waits until `probe` answers at all. */
export async function startPinned(
  label: string,
  command: (port: number) => string[],
  options: { cpus: string; cwd?: string; env?: Record<string, string>; probe: string; method?: string },
): Promise<PinnedServer> {
  const port = await freePort();
  const child: ChildProcess = spawn('taskset', ['-c', options.cpus, ...command(port)], {
    cwd: options.cwd ?? projectRoot,
    env: { ...process.env, PORT: String(port), ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (d) => {
    errors = (errors + d).slice(-4096);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited early (${child.exitCode}):\n${errors}`);
    const up = await fetch(`${url}${options.probe}`, { method: options.method ?? 'GET' }).then(
      async (r) => {
        await r.arrayBuffer();
        return true;
      },
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${label} did not answer within 60 s:\n${errors}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid as number;
  return {
    url,
    pid,
    rssMb: () => treeRssMb(pid),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      if (child.exitCode === null) await exited;
      clearTimeout(timer);
    },
  };
}

export function startPeer(cpus: string): Promise<PinnedServer> {
  // run.sh applies schema.sql, then execs gunicorn (3 workers x 2 threads): the pid is the master's.
  return startPinned('Flask peer', () => [path.join(peerDir, 'run.sh')], {
    cpus,
    cwd: peerDir,
    probe: '/predictions',
  });
}

export function startHttpFloor(cpus: string): Promise<PinnedServer> {
  return startPinned(
    'node:http floor',
    (port) => ['node', path.join(peerDir, 'floor-http.mjs'), String(port)],
    {
      cpus,
      probe: '/predict',
      method: 'POST',
    },
  );
}

export function startExpressFloor(cpus: string): Promise<PinnedServer> {
  // From the project root, so that it resolves the project's express.
  return startPinned(
    'Express floor',
    (port) => ['node', path.join(peerDir, 'express-floor.cjs'), String(port)],
    {
      cpus,
      probe: '/predict',
      method: 'POST',
    },
  );
}
