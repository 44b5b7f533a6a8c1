import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { HttpApiEvent } from '../functions/runtime/api-gateway.js';
import { type LambdaHost, startLambdaHost } from '../test/support/lambda/lambda-hosts.js';
import { percentile, round } from './stats.js';

export interface ColdStart {
  /** Median over the runs: import() of the bundle until the module is evaluated. */
  importMs: number;
  /** Median: import() until the first invocation has answered (init + first request). */
  firstAnswerMs: number;
  runs: number;
}

/** `runs` fresh processes, each importing the bundle and answering `event` once. */
export async function coldStarts(
  bundle: string,
  env: Record<string, string>,
  event: HttpApiEvent,
  runs: number,
  cpus?: string,
): Promise<ColdStart> {
  const imports: number[] = [];
  const answers: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const host = await startLambdaHost(bundle, env, cpus ? { cpus } : {});
    const first = await host.invoke(event);
    if (first.result.statusCode >= 300)
      throw new Error(`${bundle}: ${first.result.statusCode} ${first.result.body}`);
    imports.push(host.importMs);
    answers.push(first.sinceImportStartMs);
    host.close();
  }
  return { importMs: percentile(imports, 50), firstAnswerMs: percentile(answers, 50), runs };
}

export interface Warm {
  p50Ms: number;
  p95Ms: number;
  invocations: number;
}

/** Handler durations of `count` warm invocations (after one to warm up), one at a time. */
export async function warmLatency(
  host: LambdaHost,
  makeEvent: (i: number) => HttpApiEvent,
  count: number,
): Promise<Warm> {
  await host.invoke(makeEvent(-1));
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const { result, durationMs } = await host.invoke(makeEvent(i));
    if (result.statusCode >= 300) throw new Error(`${result.statusCode} ${result.body}`);
    samples.push(durationMs);
  }
  return { p50Ms: percentile(samples, 50), p95Ms: percentile(samples, 95), invocations: count };
}

/** Zipped size and unpacked size of each function's zip, in MB (10^6 bytes, as AWS counts). */
export async function zipSizes(serverlessDir: string, dirs: Record<string, string>) {
  const sizes: Record<string, { zippedMB: number; unzippedMB: number }> = {};
  for (const [name, dir] of Object.entries(dirs)) {
    const zipped = (await stat(path.join(serverlessDir, `${name}.zip`))).size;
    sizes[name] = { zippedMB: round(zipped / 1e6), unzippedMB: round((await du(dir)) / 1e6) };
  }
  return sizes;
}

async function du(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}
