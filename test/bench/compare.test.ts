import { describe, expect, it } from 'vitest';
import { parseCompareArgs } from '../../bench/compare-args.js';
import { ratiosOf, type ServerFigures } from '../../bench/compare-report.js';
import type { LoadResult } from '../../bench/load.js';

const load = (requestsPerSec: number): LoadResult => ({
  name: 'x',
  connections: 16,
  durationS: 8,
  requests: requestsPerSec * 8,
  requestsPerSec,
  p50Ms: 1,
  p99Ms: 2,
  non2xx: 0,
  errors: 0,
});

describe('bench:compare flags', () => {
  it('defaults to issue 10 load on every server', () => {
    const o = parseCompareArgs([]);
    expect(o.only).toEqual(['peer', 'http', 'express', 'pettracker', 'miss']);
    expect([o.connections, o.warmupS, o.durationS, o.rounds, o.missConnections]).toEqual([16, 2, 8, 4, 4]);
    expect([o.paths, o.missWorkers, o.cpuProfDir]).toEqual([['hit', 'save', 'list'], [], undefined]);
  });

  it('narrows the servers and paths, and drops the miss row on --no-miss', () => {
    const o = parseCompareArgs([
      '--only=http,miss',
      '--no-miss',
      '--duration=1',
      '--warmup=0',
      '--paths=save',
    ]);
    expect(o.only).toEqual(['http']);
    expect([o.durationS, o.warmupS, o.paths]).toEqual([1, 0, ['save']]);
  });

  it('reads --miss-workers as one miss run per worker count', () => {
    expect(parseCompareArgs(['--miss-workers=1,2']).missWorkers).toEqual([1, 2]);
    expect(() => parseCompareArgs(['--miss-workers=0'])).toThrow(/--miss-workers/);
  });

  it('refuses unknown flags, servers and paths, and non-positive durations', () => {
    expect(() => parseCompareArgs(['--bogus'])).toThrow(/'--bogus'/);
    expect(() => parseCompareArgs(['--only=nginx'])).toThrow(/--only: unknown value "nginx"/);
    expect(() => parseCompareArgs(['--paths=miss'])).toThrow(/--paths: unknown value "miss"/);
    expect(() => parseCompareArgs(['--duration=0'])).toThrow(/--duration/);
    expect(() => parseCompareArgs(['--warmup=-1'])).toThrow(/--warmup/);
  });
});

describe('bench:compare ratios', () => {
  it('divides pettracker by the floor and the peer and checks each aim', () => {
    const servers: Record<string, ServerFigures> = {
      peer: { hit: load(1000), save: load(1000), list: load(1000), rssMb: 160 },
      express: { hit: load(4000), rssMb: 100 },
      pettracker: { hit: load(3000), save: load(1400), list: load(1600), rssMb: 300 },
      miss: { miss: load(20), rssMb: 300, oneThreadWasm: { reqPerSec: 10, p50Ms: 1, p99Ms: 2, images: 5 } },
    };
    const byName = Object.fromEntries(ratiosOf(servers).map((r) => [r.name, [r.value, r.met]]));
    expect(byName).toEqual({
      'pettracker hit / bare Express hit': [0.75, false],
      'pettracker hit / peer hit': [3, true],
      'pettracker save / peer save': [1.4, false],
      'pettracker list / peer list': [1.6, true],
      'pettracker RSS after load (MB)': [300, false],
      'pettracker miss / one-thread wasm': [2, true],
    });
  });

  it('gives each miss run its own ratio against the one-thread baseline', () => {
    const wasm = { reqPerSec: 10, p50Ms: 1, p99Ms: 2, images: 5 };
    const ratios = ratiosOf({
      'miss-1w': { miss: load(12), rssMb: 300, workers: 0, oneThreadWasm: wasm },
      'miss-2w': { miss: load(19), rssMb: 500, workers: 2, oneThreadWasm: wasm },
    });
    expect(ratios.filter((r) => r.name.includes('miss')).map((r) => [r.name, r.value, r.met])).toEqual([
      ['pettracker miss-1w (0 workers) / one-thread wasm', 1.2, false],
      ['pettracker miss-2w (2 workers) / one-thread wasm', 1.9, true],
    ]);
  });

  it('takes the median per-round ratio, with the lowest and highest, where both sides ran in rounds', () => {
    const sliced = (slicesPerSec: number[]): LoadResult => ({ ...load(0), slicesPerSec });
    const ratios = ratiosOf({
      // The floor's first slice hit by a neighbour's burst: the median barely moves.
      express: { hit: { ...sliced([1000, 2000, 3000, 4000]), requestsPerSec: 2500 }, rssMb: 100 },
      pettracker: { hit: { ...sliced([1500, 1200, 2400, 3000]), requestsPerSec: 2025 }, rssMb: 200 },
      peer: { hit: load(1000), rssMb: 160 },
    });
    expect(ratios[0]).toMatchObject({ value: 0.78, range: [0.6, 1.5] });
    // The peer ran in one piece: no per-round figures to pair.
    expect(ratios[1]?.range).toBeUndefined();
  });

  it('reports n/a rather than a figure for a server left out of the run', () => {
    const ratios = ratiosOf({ pettracker: { hit: load(3000), rssMb: 200 } });
    expect(ratios.filter((r) => r.value === null).map((r) => r.met)).toEqual([null, null, null, null, null]);
    expect(ratios.find((r) => r.name.startsWith('pettracker RSS'))?.met).toBe(true);
  });
});
