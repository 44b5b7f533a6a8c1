/** The flags of `npm run bench:compare`; defaults are the load of issue 10. */
import { parseArgs } from 'node:util';

export const serverNames = ['peer', 'http', 'express', 'pettracker', 'miss'] as const;
export const loadPaths = ['hit', 'save', 'list'] as const;
export type LoadPath = (typeof loadPaths)[number];

export const usage = `npm run bench:compare -- [flags]
  --only=peer,http,express,pettracker,miss  servers to run (default: all; miss = pettracker on MobileNet)
  --no-miss                                 skip the cache-miss row (MobileNet, slow to start)
  --duration=8  --warmup=2  --rounds=4      measured seconds per path and server, in rounds of slices
  --paths=hit,save,list                     the paths loaded (default all)
  --miss-workers=1,2                        one miss run per MODEL_WORKERS value, back to back
  --cpu-prof=<dir>                          pettracker runs under node --cpu-prof, its profile in <dir>
  --out=bench/results/compare.json
smoke run (~1 min): npm run bench:compare -- --duration=1 --warmup=1 --rounds=1 --no-miss --out=/tmp/compare.json`;

const [text, flag] = [{ type: 'string' }, { type: 'boolean' }] as const;
const flags = {
  ...{ only: text, duration: text, warmup: text, rounds: text, paths: text, out: text },
  ...{ 'miss-workers': text, 'cpu-prof': text, 'no-miss': flag, help: flag },
};

function number(name: string, raw: string | undefined, fallback: number, orZero = false): number {
  const n = Number(raw ?? fallback);
  if (Number.isFinite(n) && (n > 0 || (orZero && n === 0))) return n;
  throw new Error(`--${name} must be ${orZero ? '0 or more' : 'a positive number'}, got "${raw}"`);
}

function list<T extends string>(name: string, raw: string | undefined, known: readonly T[]): T[] {
  return raw === undefined
    ? [...known]
    : raw.split(',').map((s) => {
        if (known.includes(s.trim() as T)) return s.trim() as T;
        throw new Error(`--${name}: unknown value "${s}" (${known.join(', ')})`);
      });
}

export function parseCompareArgs(argv: readonly string[]) {
  const values = (() => {
    try {
      return parseArgs({ args: [...argv], options: flags, strict: true }).values;
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${usage}`);
    }
  })();
  return {
    only: list('only', values.only, serverNames).filter((s) => !(values['no-miss'] && s === 'miss')),
    /** Measured seconds per path and server, split over `rounds` slices (the miss row: one run). */
    durationS: number('duration', values.duration, 8),
    /** The warm-up of a server's first slice on a path; later slices warm up for `sliceWarmupS`. */
    warmupS: number('warmup', values.warmup, 2, true),
    sliceWarmupS: 1,
    rounds: Math.round(number('rounds', values.rounds, 4)),
    connections: 16,
    /** The miss row: 4 connections, a distinct image per request, on every CPU. */
    missConnections: 4,
    /** MODEL_WORKERS of each miss run, back to back; empty: one run on the server's default. */
    missWorkers: (values['miss-workers'] ?? '')
      .split(',')
      .filter((w) => w.trim() !== '')
      .map((w) => Math.round(number('miss-workers', w, 0))),
    /** Rows seeded for the list user before GET /predictions?limit=20. */
    listRows: 300,
    out: values.out ?? 'bench/results/compare.json',
    paths: list('paths', values.paths, loadPaths),
    /** Where pettracker's CPU profile goes (node --cpu-prof); none by default. */
    cpuProfDir: values['cpu-prof'],
  };
}

export type CompareOptions = ReturnType<typeof parseCompareArgs>;
