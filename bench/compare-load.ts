/**
 * The load generator of `bench:compare` as its own process, so that compare.ts can pin it to one CPU
 * (`taskset -c 0`) apart from the server under test. Reads one LoadSpec as JSON from argv[2], runs the
 * warm-up (discarded), then the measured load, and prints the LoadResult as one JSON line on stdout.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type LoadCase, runLoad } from './http-bench.js';
import { jpegVariant, round } from './stats.js';

export interface LoadSpec {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fixed body: text, or the bytes of a file. */
  bodyText?: string;
  bodyFile?: string;
  /** A distinct body per request: the .jpg files of this folder, each request a byte-distinct variant. */
  distinctJpegDir?: string;
  connections: number;
  warmupS: number;
  durationS: number;
}

async function bodyOf(spec: LoadSpec): Promise<LoadCase['body']> {
  if (spec.bodyText !== undefined) return spec.bodyText;
  if (spec.bodyFile) return readFile(spec.bodyFile);
  if (spec.distinctJpegDir) {
    const dir = spec.distinctJpegDir;
    const names = (await readdir(dir)).filter((n) => /\.jpe?g$/i.test(n)).sort();
    const photos = await Promise.all(names.map((n) => readFile(path.join(dir, n))));
    if (photos.length === 0) throw new Error(`no .jpg in ${dir}`);
    // A counter that runs on through warm-up and load: no body repeats, so no request hits the cache.
    // The run's start time salts the variants, so a shared Redis cache from an earlier run cannot hit.
    const salt = Date.now() * 1000;
    let n = 0;
    return () => {
      const photo = photos[n % photos.length] as Buffer;
      return jpegVariant(photo, salt + n++);
    };
  }
  return undefined;
}

const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
const body = await bodyOf(spec);
const base = {
  url: spec.url,
  method: spec.method,
  headers: spec.headers,
  body,
  connections: spec.connections,
};
if (spec.warmupS > 0) await runLoad({ ...base, name: `${spec.name} (warm-up)`, durationS: spec.warmupS });
const result = await runLoad({ ...base, name: spec.name, durationS: spec.durationS });
// Completed requests over the run, to 0.1: autocannon's per-second mean, rounded to whole requests,
// loses the cache-miss row (a few req/s) to rounding.
result.requestsPerSec = round(result.requests / spec.durationS, 1);
process.stdout.write(`${JSON.stringify(result)}\n`);
