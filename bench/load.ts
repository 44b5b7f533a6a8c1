/**
 * Load generation with autocannon. As a script (`load.ts SPEC_JSON`) it runs one LoadSpec (warm-up,
 * then the measured load) and prints the LoadResult as one JSON line, so that runScript can give the
 * load generator a CPU of its own, apart from the server under test.
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
  /** Seconds of load; or `amount`: that many requests, then stop. */
  durationS: number;
  amount?: number;
}

/** A fixed-concurrency load from this process against a server in another process, on loopback. */
export async function runLoad(c: LoadCase): Promise<LoadResult> {
  const { body, method } = c;
  const result = await autocannon({
    url: c.url,
    method,
    headers: c.headers,
    ...(typeof body === 'function'
      ? { requests: [{ method, setupRequest: (req: object) => ({ ...req, body: body() }) }] }
      : { body }),
    connections: c.connections,
    ...(c.amount ? { amount: c.amount } : { duration: c.durationS }),
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

export async function readJpegs(dir: string): Promise<Buffer[]> {
  const names = (await readdir(dir)).filter((n) => /\.jpe?g$/i.test(n)).sort();
  if (names.length === 0) throw new Error(`no .jpg in ${dir}`);
  return Promise.all(names.map((n) => readFile(path.join(dir, n))));
}

/**
 * Runs a TypeScript bench script in its own Node process (pinned to `cpus` when given, with `nodeFlags`)
 * and returns the JSON object it prints as its last line of stdout; stderr passes through.
 */
export async function runScript<T>(
  args: readonly string[],
  options: { cpus?: string; nodeFlags?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<T> {
  const node = [process.execPath, ...(options.nodeFlags ?? []), '--import', 'tsx', ...args];
  const [bin, ...rest] = options.cpus ? ['taskset', '-c', options.cpus, ...node] : node;
  const child = spawn(bin as string, rest, {
    cwd: projectRoot,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`${args.join(' ')} failed (${code}): ${out}`);
  return JSON.parse(line) as T;
}

/** Runs one LoadSpec from this process: its body made, the warm-up, then the measured load. */
export async function runSpec(spec: LoadSpec): Promise<LoadResult> {
  let body: LoadCase['body'] = spec.bodyText ?? (spec.bodyFile ? await readFile(spec.bodyFile) : undefined);
  if (spec.distinctJpegDir) {
    const photos = await readJpegs(spec.distinctJpegDir);
    // A counter that runs on through warm-up and load, salted by the start time: no body repeats, in
    // this run or against a shared Redis cache an earlier run filled, so no request hits the cache.
    const salt = Date.now() * 1000;
    let n = 0;
    body = () => jpegVariant(photos[n % photos.length] as Buffer, salt + n++);
  }
  const load = { ...spec, body };
  if (spec.warmupS > 0) await runLoad({ ...load, name: `${spec.name} (warm-up)`, durationS: spec.warmupS });
  return runLoad(load);
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  process.stdout.write(`${JSON.stringify(await runSpec(JSON.parse(process.argv[2] ?? '') as LoadSpec))}\n`);
