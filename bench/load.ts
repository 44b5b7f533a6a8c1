/**
 * Load generation. runLoad drives autocannon from this process; as a script (`load.ts SPEC_JSON`) it
 * runs one LoadSpec (warm-up, then the measured load) and prints the LoadResult as one JSON line, so
 * that runPinned can give the load generator a CPU of its own, apart from the server under test.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { projectRoot } from '../shared/config.js';
import { jpegVariant, round } from './stats.js';

export interface LoadResult {
  name: string;
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** bench:compare: the req/s of each slice this result merges, in round order. */
  slicesPerSec?: number[];
}

export interface LoadCase {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fixed body, or one made per request (e.g. a distinct image for cache misses). */
  body?: Buffer | string | (() => Buffer | string);
  connections: number;
  durationS: number;
}

/** A fixed-concurrency load from this process against a server in another process, on loopback. */
export async function runLoad(c: LoadCase): Promise<LoadResult> {
  const body = c.body;
  const result = await autocannon({
    url: c.url,
    method: c.method,
    headers: c.headers,
    body: typeof body === 'function' ? undefined : body,
    requests:
      typeof body === 'function'
        ? [{ method: c.method, setupRequest: (req: object) => ({ ...req, body: body() }) }]
        : undefined,
    connections: c.connections,
    duration: c.durationS,
  } as autocannon.Options);
  return {
    name: c.name,
    connections: c.connections,
    durationS: c.durationS,
    requests: result.requests.total,
    // Completed requests over the run, to 0.1: autocannon's per-second mean, rounded to whole
    // requests, loses a cache-miss row (a few req/s) to rounding.
    requestsPerSec: round(result.requests.total / c.durationS, 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** A load as data, for the pinned load generator: the body from text, a file, or a folder of JPEGs. */
export interface LoadSpec extends Omit<LoadCase, 'body'> {
  bodyText?: string;
  bodyFile?: string;
  /** A distinct body per request: the .jpg files of this folder, each request a byte-distinct variant. */
  distinctJpegDir?: string;
  warmupS: number;
}

async function bodyOf(spec: LoadSpec): Promise<LoadCase['body']> {
  if (spec.bodyText !== undefined) return spec.bodyText;
  if (spec.bodyFile) return readFile(spec.bodyFile);
  if (!spec.distinctJpegDir) return undefined;
  const photos = await readJpegs(spec.distinctJpegDir);
  // A counter that runs on through warm-up and load, salted by the start time: no body repeats, in
  // this run or against a shared Redis cache an earlier run filled, so no request hits the cache.
  const salt = Date.now() * 1000;
  let n = 0;
  return () => jpegVariant(photos[n % photos.length] as Buffer, salt + n++);
}

export async function readJpegs(dir: string): Promise<Buffer[]> {
  const names = (await readdir(dir)).filter((n) => /\.jpe?g$/i.test(n)).sort();
  if (names.length === 0) throw new Error(`no .jpg in ${dir}`);
  return Promise.all(names.map((n) => readFile(path.join(dir, n))));
}

/**
 * Runs a TypeScript bench script in its own Node process pinned to `cpus` (taskset) and returns the
 * JSON object it prints as its last line of stdout; stderr passes through.
 */
export async function runPinned<T>(cpus: string, args: readonly string[], what: string): Promise<T> {
  const child = spawn('taskset', ['-c', cpus, process.execPath, '--import', 'tsx', ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`${what} failed (${code}): ${out}`);
  return JSON.parse(line) as T;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  const base = { ...spec, body: await bodyOf(spec) };
  if (spec.warmupS > 0) await runLoad({ ...base, name: `${spec.name} (warm-up)`, durationS: spec.warmupS });
  process.stdout.write(`${JSON.stringify(await runLoad(base))}\n`);
}
