import { describe, expect, it } from 'vitest';
import { type Contender, mergeSlices, rotate, runRounds } from '../../bench/compare-rounds.js';
import type { LoadResult } from '../../bench/load.js';

const slice = (requestsPerSec: number, p50Ms = 1, p99Ms = 2): LoadResult => ({
  name: 'x',
  connections: 16,
  durationS: 2,
  requests: requestsPerSec * 2,
  requestsPerSec,
  p50Ms,
  p99Ms,
  non2xx: 0,
  errors: 0,
});

const contender = (name: string, paths: string[]): Contender<unknown> => ({
  name,
  loads: Object.fromEntries(
    paths.map((p) => [p, { name: `${name} ${p}`, url: `http://${name}/${p}`, method: 'GET' }]),
  ),
  figures: async () => ({}),
  stop: async () => {},
});

describe('bench:compare rounds', () => {
  it('rotates the order by one server per round', () => {
    expect([0, 1, 2, 3].map((r) => rotate(['a', 'b', 'c'], r).join(''))).toEqual([
      'abc',
      'bca',
      'cab',
      'abc',
    ]);
    expect(rotate([], 3)).toEqual([]);
  });

  it('loads each path in rounds, every server once a round in turn, the first slice warmed up longer', async () => {
    const calls: string[] = [];
    const results = await runRounds(
      [contender('peer', ['hit', 'list']), contender('floor', ['hit']), contender('pt', ['hit', 'list'])],
      { paths: ['hit', 'list'], rounds: 2, durationS: 8, warmupS: 2, sliceWarmupS: 1 },
      async (spec, times) => {
        calls.push(`${spec.name} ${times.warmupS}+${times.durationS}`);
        return slice(calls.length * 10);
      },
    );
    expect(calls).toEqual([
      'peer hit 2+4',
      'floor hit 2+4',
      'pt hit 2+4',
      'floor hit 1+4',
      'pt hit 1+4',
      'peer hit 1+4',
      'peer list 2+4',
      'pt list 2+4',
      'pt list 1+4',
      'peer list 1+4',
    ]);
    expect(results.peer?.hit?.slicesPerSec).toEqual([10, 60]);
    expect(results.floor?.list).toBeUndefined();
    expect(results.pt?.list?.slicesPerSec).toEqual([80, 90]);
  });

  it('merges slices as requests over seconds, the median p50, the worst p99 and the sums of failures', () => {
    const merged = mergeSlices([slice(100, 3, 10), { ...slice(300, 5, 40), non2xx: 2 }, slice(200, 4, 20)]);
    expect(merged).toMatchObject({
      durationS: 6,
      requests: 1200,
      requestsPerSec: 200,
      p50Ms: 4,
      p99Ms: 40,
      non2xx: 2,
      errors: 0,
      slicesPerSec: [100, 300, 200],
    });
    expect(() => mergeSlices([])).toThrow(/no slices/);
  });
});
