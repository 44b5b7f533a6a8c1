/**
 * The processes benchmarks measure: any server command pinned to CPUs and probed until it answers,
 * the Express runtime as Beanstalk runs it (its built bundle), RSS read from /proc, and a fresh
 * PostgreSQL database per run.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { bundleEntries } from '../eb-compat/bundle/esbuild-bundle.js';
import { BUNDLE_LAYOUT } from '../eb-compat/bundle/layout.js';
import { PUBLIC_DIR } from '../eb-compat/site.js';
import { loadOrCreateDevKeys, mintDevToken } from '../shared/adapters/identity/dev-keys.js';
import { projectRoot } from '../shared/config.js';
import { freePort } from '../test/support/spawn-server.js';

export interface PinnedServer {
  url: string;
  /** VmRSS in MB of the process and its children (gunicorn: master + workers). */
  rssMb(): Promise<number>;
  /** VmHWM (peak RSS) of the process itself, in MB. */
  peakRssMb(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts `command(port)` (PORT set too), pinned to `cpus` when given (taskset execs the command, so the
 * pid stays the server's), and waits until `probe` answers: any answer, or a 200 with `ready`.
 */
export async function startPinned(
  label: string,
  command: (port: number) => string[],
  options: {
    cpus?: string;
    cwd?: string;
    env?: Record<string, string>;
    probe: string;
    method?: string;
    ready?: boolean;
  },
): Promise<PinnedServer> {
  const port = await freePort();
  const [bin, ...args] = [...(options.cpus ? ['taskset', '-c', options.cpus] : []), ...command(port)];
  const child = spawn(bin as string, args, {
    cwd: options.cwd ?? projectRoot,
    env: { ...process.env, PORT: String(port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Request logs go to a pipe, as on an instance, and are drained; stderr's tail explains a failure.
  child.stdout.resume();
  let errors = '';
  child.stderr.on('data', (d) => {
    errors = (errors + d).slice(-4096);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const probe = () =>
    fetch(`${url}${options.probe}`, { method: options.method ?? 'GET' }).then(
      async (r) => {
        await r.arrayBuffer();
        return !options.ready || r.status === 200;
      },
      () => false,
    );
  for (
    const deadline = Date.now() + 120_000;
    !(await probe());
    await new Promise((r) => setTimeout(r, 200))
  ) {
    if (child.exitCode !== null) throw new Error(`${label} exited early (${child.exitCode}):\n${errors}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${label} did not answer within 120 s:\n${errors}`);
    }
  }
  const pid = String(child.pid);
  return {
    url,
    // ps sums the server and its direct children (gunicorn's workers), in KB.
    rssMb: async () => {
      const { stdout } = await promisify(execFile)('ps', ['-o', 'rss=', '--pid', pid, '--ppid', pid]);
      return Math.round(stdout.split('\n').reduce((kb, line) => kb + Number(line.trim() || 0), 0) / 1024);
    },
    peakRssMb: async () =>
      Math.round(
        Number(/VmHWM:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
      ),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      if (child.exitCode === null) await exited;
      clearTimeout(timer);
    },
  };
}

let built: Promise<string[]> | undefined;

/**
 * The command that starts the Express runtime as Beanstalk runs it: the bundle's compiled server (the
 * same esbuild build as `npm run eb:bundle`) under the Procfile's flags, not the sources through tsx,
 * whose loader thread and transform cache add ~75 MB of RSS and their own CPU. The build borrows the
 * repository's models/, migrations/ and web page by symlink and resolves sharp and the wasm binaries
 * from its node_modules. Built once per process, into dist/ (not committed).
 */
function builtServerCommand(): Promise<string[]> {
  built ??= (async () => {
    const dir = path.join(projectRoot, 'dist', 'bench-server');
    await rm(dir, { recursive: true, force: true });
    await bundleEntries(dir);
    for (const relative of ['models', 'migrations', path.relative(projectRoot, PUBLIC_DIR)]) {
      await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
      await symlink(path.join(projectRoot, relative), path.join(dir, relative));
    }
    return ['node', '--enable-source-maps', path.join(dir, BUNDLE_LAYOUT.server)];
  })();
  return built;
}

export interface BenchServer extends PinnedServer {
  token(user: string): Promise<string>;
}

/** The built Express runtime in its own process, JSON logs at info, on loopback; answering /ready. */
export async function startBenchServer(
  env: Record<string, string>,
  options: { cpus?: string; nodeFlags?: string[] } = {},
): Promise<BenchServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pettracker-bench-'));
  const keys = await loadOrCreateDevKeys(path.join(dataDir, 'dev-jwt-key.json'));
  const [node, ...rest] = await builtServerCommand();
  const server = await startPinned(
    'pettracker',
    () => [node as string, ...(options.nodeFlags ?? []), ...rest],
    {
      cpus: options.cpus,
      env: {
        MODEL_URI: 'models/placeholder',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ...env,
        LOG_LEVEL: 'info',
      },
      probe: '/ready',
      ready: true,
    },
  ).catch(async (error) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    ...server,
    token: (user) => mintDevToken(keys, user, { issuer: 'pettracker-dev', audience: 'pettracker' }),
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh PostgreSQL database for one run, dropped afterwards. */
export async function freshPostgres(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pettracker_bench_${Date.now()}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
