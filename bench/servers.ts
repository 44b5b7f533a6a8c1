import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadOrCreateDevKeys, mintDevToken } from '../shared/adapters/identity/dev-keys.js';
import { type SpawnedServer, spawnServer } from '../test/support/spawn-server.js';
import { builtServerCommand } from './built-server.js';

export interface BenchServer {
  url: string;
  pid: number;
  token(user: string): Promise<string>;
  /** Peak (VmHWM) and current (VmRSS) resident set size of the server process, in MB. */
  memoryMb(): Promise<{ peak: number; current: number }>;
  stop(): Promise<void>;
}

/** The Express runtime as Beanstalk runs it: the built server in its own process, JSON logs at info, on loopback. */
export async function startBenchServer(
  env: Record<string, string>,
  options: { cpus?: string; nodeFlags?: string[] } = {},
): Promise<BenchServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pettracker-bench-'));
  const keys = await loadOrCreateDevKeys(path.join(dataDir, 'dev-jwt-key.json'));
  const server: SpawnedServer = await spawnServer(
    // taskset execs node, so the pinned process keeps the pid measured below.
    [
      ...(options.cpus ? ['taskset', '-c', options.cpus] : []),
      ...(await builtServerCommand(options.nodeFlags)),
    ],
    { DATA_DIR: dataDir, ...env, LOG_LEVEL: 'info' },
    { keepOutput: false, readyTimeoutMs: 120_000 },
  ).catch(async (error) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: server.url,
    pid: server.child.pid ?? 0,
    token: (user) => mintDevToken(keys, user, { issuer: 'pettracker-dev', audience: 'pettracker' }),
    async memoryMb() {
      const status = await readFile(`/proc/${server.child.pid}/status`, 'utf8');
      const mb = (field: string) =>
        Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) / 1024);
      return { peak: mb('VmHWM'), current: mb('VmRSS') };
    },
    async stop() {
      server.child.kill('SIGTERM');
      await server.exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh PostgreSQL database for one run, dropped afterwards. */
export async function freshPostgres(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pettracker_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The local AWS emulators in their own process, so they do not share the load generator's event loop. */
export async function startLocalAwsProcess(
  postgresUrl: string,
  database: string,
): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const child = spawn('node', ['--import', 'tsx', 'tools/local-aws/main.ts'], {
    env: { ...process.env, POSTGRES_URL: postgresUrl, DATA_API_DATABASE: database },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`local AWS emulators exited (${code})`)));
    child.stdout?.on('data', (chunk) => {
      buffered += chunk;
      const line = buffered.split('\n').find((l) => l.startsWith('LOCAL_AWS_ENV '));
      if (line) resolve(JSON.parse(line.slice('LOCAL_AWS_ENV '.length)));
    });
  });
  return {
    env,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}
