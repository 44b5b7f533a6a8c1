/** The figures of `bench:compare`, the ratios issue 10 aims at, and the printed table. */
import type { LoadResult } from './load.js';
import { median, round } from './stats.js';

export interface ServerFigures {
  hit?: LoadResult;
  save?: LoadResult;
  list?: LoadResult;
  miss?: LoadResult;
  /** VmRSS after the load, in MB (gunicorn: master + workers). */
  rssMb: number;
  /** pettracker only: VmHWM, the peak over its life (start-up, model load and the load). */
  peakRssMb?: number;
  backend?: string;
  /** Miss rows: the model worker threads the server reported in /model (0: in the serving thread). */
  workers?: number;
  /** The miss row's baseline: the same model and photos classified back to back in one pinned thread. */
  oneThreadWasm?: { reqPerSec: number; p50Ms: number; p99Ms: number; images: number };
}

export interface Ratio {
  name: string;
  value: number | null;
  /** The lowest and highest per-round ratio, where both sides ran in rounds (value is then their median). */
  range?: [number, number];
  aim: string;
  met: boolean | null;
}

export interface CompareFigures {
  date: string;
  commit: string;
  machine: Record<string, string | number>;
  load: Record<string, unknown>;
  servers: Partial<Record<string, ServerFigures>>;
  ratios: Ratio[];
}

/**
 * `a` over `b`. Where both ran in rounds, the median of the per-round ratios (round r of one against
 * round r of the other), with their lowest and highest: one slice that a neighbour's burst hit moves
 * the median little. Otherwise, the ratio of the two figures.
 */
function ratio(
  name: string,
  min: number,
  a?: LoadResult,
  b?: { requestsPerSec?: number } & Partial<LoadResult>,
) {
  const [x, y] = [a?.slicesPerSec, b?.slicesPerSec];
  const each =
    x && y && x.length === y.length && x.length > 1 && y.every((v) => v > 0)
      ? x.map((v, i) => v / (y[i] as number))
      : undefined;
  const [p, q] = [a?.requestsPerSec, b?.requestsPerSec];
  const value = each ? round(median(each), 2) : p !== undefined && q ? round(p / q, 2) : null;
  const range = each && ([round(Math.min(...each), 2), round(Math.max(...each), 2)] as [number, number]);
  return {
    name,
    value,
    ...(range ? { range } : {}),
    aim: `>= ${min}`,
    met: value === null ? null : value >= min,
  };
}

export function ratiosOf(s: CompareFigures['servers']): Ratio[] {
  const pt = s.pettracker;
  const rss = pt?.rssMb;
  // One per miss run (--miss-workers runs several), each against the same one-thread baseline.
  const misses = Object.entries(s).filter(([name]) => name === 'miss' || name.startsWith('miss-'));
  return [
    ratio('pettracker hit / bare Express hit', 0.85, pt?.hit, s.express?.hit),
    ratio('pettracker hit / peer hit', 2.5, pt?.hit, s.peer?.hit),
    ratio('pettracker save / peer save', 1.5, pt?.save, s.peer?.save),
    ratio('pettracker list / peer list', 1.5, pt?.list, s.peer?.list),
    {
      name: 'pettracker RSS after load (MB)',
      value: rss ?? null,
      aim: '<= 256',
      met: rss === undefined ? null : rss <= 256,
    },
    ...(misses.length === 0 ? [['miss', undefined] as const] : misses).map(([name, f]) =>
      ratio(
        `pettracker ${name}${f?.workers === undefined ? '' : ` (${f.workers} workers)`} / one-thread wasm`,
        1.8,
        f?.miss,
        { requestsPerSec: f?.oneThreadWasm?.reqPerSec },
      ),
    ),
  ];
}

const labels: Record<string, string> = {
  peer: 'Flask peer (3x2 gunicorn)',
  http: 'bare node:http floor',
  express: 'bare Express 5 floor',
  pettracker: 'pettracker (Express, PG, Redis)',
};

export function printReport(f: CompareFigures): void {
  const cell = (r: LoadResult | undefined) =>
    r ? `${r.requestsPerSec} (p50 ${r.p50Ms} / p99 ${r.p99Ms} ms)${r.non2xx || r.errors ? ' !' : ''}` : '';
  const m = f.machine;
  console.log(
    `\n${f.date} (${f.commit})  ${m.nproc} x ${m.cpuModel}, node ${m.node}, load avg ${m.loadavg1Before} -> ${m.loadavg1After}`,
  );
  const l = f.load as { serverCpu: string; loadCpu: string };
  console.log(
    `req/s (latency); server on CPU ${l.serverCpu} (miss rows: all CPUs), load generator on CPU ${l.loadCpu}; ` +
      '"!" = non-2xx answers or errors',
  );
  const rows = Object.entries(f.servers).map(([name, s]) => [
    labels[name] ?? `pettracker ${name} (MobileNet)`,
    {
      'hit predict': cell(s?.hit),
      save: cell(s?.save),
      list: cell(s?.list),
      'miss predict': s?.miss ? `${cell(s.miss)} ${s.backend}, ${s.workers ?? '?'} workers` : '',
      'RSS MB': s?.rssMb,
      'peak RSS MB': s?.peakRssMb ?? '',
    },
  ]);
  console.table(Object.fromEntries(rows));
  const wasm = Object.values(f.servers).find((s) => s?.oneThreadWasm)?.oneThreadWasm;
  if (wasm)
    console.log(
      `one-thread wasm pipeline (same model and photos, no HTTP, CPU ${l.serverCpu}): ` +
        `${wasm.reqPerSec} req/s (p50 ${wasm.p50Ms} / p99 ${wasm.p99Ms} ms)`,
    );
  const met = (r: Ratio) => (r.met === null ? 'n/a' : r.met ? 'yes' : 'NO');
  console.table(
    f.ratios.map((r) => ({
      ratio: r.name,
      value: r.value ?? 'n/a',
      'per round': r.range?.join('-') ?? '',
      aim: r.aim,
      met: met(r),
    })),
  );
}
