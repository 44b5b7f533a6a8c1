/** The figures of `bench:compare`, the ratios issue 10 aims at, and the printed table. */
import type { LoadResult } from './load.js';
import { round } from './stats.js';

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
  note?: string;
  machine: Record<string, string | number>;
  load: Record<string, unknown>;
  servers: Partial<Record<string, ServerFigures>>;
  ratios: Ratio[];
}

type Figures = CompareFigures['servers'];

/**
 * pettracker's figure over the other's. Where both ran in rounds, the median of the per-round ratios
 * (round r of one against round r of the other), with their lowest and highest: one slice that a
 * neighbour's burst hit moves the median little. Otherwise, the ratio of the two figures.
 */
function ratio(
  name: string,
  a: number | undefined,
  b: number | undefined,
  min: number,
  slices?: (number[] | undefined)[],
): Ratio {
  const [x, y] = slices ?? [];
  const each =
    x && y && x.length === y.length && x.length > 1 && y.every((v) => v > 0)
      ? x.map((v, i) => v / (y[i] as number))
      : undefined;
  const value = each
    ? round(median(each), 2)
    : a !== undefined && b !== undefined && b > 0
      ? round(a / b, 2)
      : null;
  return {
    name,
    value,
    ...(each
      ? { range: [round(Math.min(...each), 2), round(Math.max(...each), 2)] as [number, number] }
      : {}),
    aim: `>= ${min}`,
    met: value === null ? null : value >= min,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((p, q) => p - q);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function missRatios(s: Figures): Ratio[] {
  const runs = Object.entries(s).filter(([name]) => name === 'miss' || name.startsWith('miss-'));
  if (runs.length === 0) return [ratio('pettracker miss / one-thread wasm', undefined, undefined, 1.8)];
  return runs.map(([name, f]) =>
    ratio(
      `pettracker ${name}${f?.workers === undefined ? '' : ` (${f.workers} workers)`} / one-thread wasm`,
      f?.miss?.requestsPerSec,
      f?.oneThreadWasm?.reqPerSec,
      1.8,
    ),
  );
}

export function ratiosOf(s: Figures): Ratio[] {
  const rps = (server: string, path: 'hit' | 'save' | 'list' | 'miss') => s[server]?.[path]?.requestsPerSec;
  const against = (path: 'hit' | 'save' | 'list', other: string, name: string, min: number) =>
    ratio(name, rps('pettracker', path), rps(other, path), min, [
      s.pettracker?.[path]?.slicesPerSec,
      s[other]?.[path]?.slicesPerSec,
    ]);
  const rss = s.pettracker?.rssMb;
  return [
    against('hit', 'express', 'pettracker hit / bare Express hit', 0.85),
    against('hit', 'peer', 'pettracker hit / peer hit', 2.5),
    against('save', 'peer', 'pettracker save / peer save', 1.5),
    against('list', 'peer', 'pettracker list / peer list', 1.5),
    {
      name: 'pettracker RSS after load (MB)',
      value: rss ?? null,
      aim: '<= 256',
      met: rss === undefined ? null : rss <= 256,
    },
    // One per miss run (--miss-workers runs several), each against the same one-thread baseline.
    ...missRatios(s),
  ];
}

const labels: Record<string, string> = {
  peer: 'Flask peer (3x2 gunicorn)',
  http: 'bare node:http floor',
  express: 'bare Express 5 floor',
  pettracker: 'pettracker (Express, PG, Redis)',
  miss: 'pettracker miss (MobileNet)',
};

export function printReport(f: CompareFigures): void {
  const cell = (r: LoadResult | undefined) =>
    r ? `${r.requestsPerSec} (p50 ${r.p50Ms} / p99 ${r.p99Ms} ms)${r.non2xx || r.errors ? ' !' : ''}` : '';
  const m = f.machine;
  if (f.note) console.log(`\nnote: ${f.note}`);
  console.log(
    `\n${f.date} (${f.commit})  ${m.nproc} x ${m.cpuModel}, node ${m.node}, load avg ${m.loadavg1Before} -> ${m.loadavg1After}`,
  );
  const l = f.load as { serverCpu: string; loadCpu: string; miss: { serverCpus: string } };
  console.log(
    `req/s (latency); server on CPU ${l.serverCpu} (miss row: CPUs ${l.miss.serverCpus}), ` +
      `load generator on CPU ${l.loadCpu}; "!" = non-2xx answers or errors`,
  );
  console.table(
    Object.fromEntries(
      Object.entries(f.servers).map(([name, s]) => [
        labels[name] ?? name,
        {
          'hit predict': cell(s?.hit),
          save: cell(s?.save),
          list: cell(s?.list),
          'miss predict': s?.miss ? `${cell(s.miss)} ${s.backend}, ${s.workers ?? '?'} workers` : '',
          'RSS MB': s?.rssMb,
          'peak RSS MB': s?.peakRssMb ?? '',
        },
      ]),
    ),
  );
  const wasm = Object.values(f.servers).find((s) => s?.oneThreadWasm)?.oneThreadWasm;
  if (wasm)
    console.log(
      `one-thread wasm pipeline (same model and photos, no HTTP, CPU ${l.serverCpu}): ` +
        `${wasm.reqPerSec} req/s (p50 ${wasm.p50Ms} / p99 ${wasm.p99Ms} ms)`,
    );
  console.table(
    f.ratios.map((r) => ({
      ratio: r.name,
      value: r.value ?? 'n/a',
      'per round': r.range ? `${r.range[0]}-${r.range[1]}` : '',
      aim: r.aim,
      met: r.met === null ? 'n/a' : r.met ? 'yes' : 'NO',
    })),
  );
}
