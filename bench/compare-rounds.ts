/**
 * bench:compare's schedule. Every server is started first and stays up; then each path is loaded in
 * rounds, and each round gives every server one short slice, in an order rotated by one per round.
 * So a server and the one it is compared with are measured seconds apart, not a minute, and a
 * neighbour's burst on this shared machine falls on both: the ratios hold where the absolute figures
 * move. Each server's figure for a path is its slices together (requests over seconds).
 */
import type { LoadPath } from './compare-args.js';
import type { LoadResult, LoadSpec } from './load.js';
import { round } from './stats.js';

/** What one server is loaded with on a path; connections and times come from the schedule. */
export type PathLoad = Omit<LoadSpec, 'connections' | 'warmupS' | 'durationS'>;

/** A started server: its loads by path (a floor has only `hit`), its figures once the load is over. */
export interface Contender<F> {
  name: string;
  loads: Partial<Record<LoadPath, PathLoad>>;
  /** Read after every round, before stop (RSS after the load). */
  figures(): Promise<F>;
  stop(): Promise<void>;
}

interface Schedule {
  paths: readonly LoadPath[];
  rounds: number;
  durationS: number;
  warmupS: number;
  sliceWarmupS: number;
}

/**
 * Runs the rounds (a server's first slice on a path warms up `warmupS`, later ones `sliceWarmupS`;
 * `durationS` is measured over all rounds); returns each server's merged result per path.
 */
export async function runRounds(
  contenders: readonly Contender<unknown>[],
  schedule: Schedule,
  load: (spec: PathLoad, times: { warmupS: number; durationS: number }) => Promise<LoadResult>,
): Promise<Record<string, Partial<Record<LoadPath, LoadResult>>>> {
  const durationS = schedule.durationS / schedule.rounds;
  const merged: Record<string, Partial<Record<LoadPath, LoadResult>>> = {};
  for (const path of schedule.paths) {
    const loaded = contenders.filter((c) => c.loads[path] !== undefined);
    const slices = new Map(loaded.map((c) => [c.name, [] as LoadResult[]]));
    for (let r = 0; r < schedule.rounds; r++) {
      for (const c of rotate(loaded, r)) {
        const warmupS = r === 0 ? schedule.warmupS : schedule.sliceWarmupS;
        slices.get(c.name)?.push(await load(c.loads[path] as PathLoad, { warmupS, durationS }));
      }
    }
    for (const [name, results] of slices) merged[name] = { ...merged[name], [path]: mergeSlices(results) };
  }
  return merged;
}

/** `items` starting at index `by` (mod length): round r puts a different server first. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  const k = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/**
 * One path's slices as one result: requests over the seconds measured; the median slice's p50 and
 * the worst slice's p99 (percentiles of separate runs do not add up); each slice's req/s kept, for
 * the spread of the ratios.
 */
export function mergeSlices(results: readonly LoadResult[]): LoadResult {
  const first = results[0];
  if (!first) throw new Error('mergeSlices: no slices');
  const sum = (f: (r: LoadResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const durationS = sum((r) => r.durationS);
  const p50s = results.map((r) => r.p50Ms).sort((a, b) => a - b);
  return {
    name: first.name,
    connections: first.connections,
    durationS: round(durationS, 3),
    requests: sum((r) => r.requests),
    requestsPerSec: round(sum((r) => r.requests) / durationS, 1),
    p50Ms: p50s[Math.floor((p50s.length - 1) / 2)] as number,
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    slicesPerSec: results.map((r) => r.requestsPerSec),
  };
}
