/** The flags of `npm run bench:compare`; defaults are the load of issue 10. */
import { parseArgs } from 'node:util';

export const serverNames = ['peer', 'http', 'express', 'pettracker', 'miss'] as const;
export type ServerName = (typeof serverNames)[number];
export const loadPaths = ['hit', 'save', 'list'] as const;
export type LoadPath = (typeof loadPaths)[number];

export const usage = `npm run bench:compare -- [flags]
  --only=peer,http,express,pettracker,miss  servers to run (default: all; miss = pettracker on MobileNet)
  --no-miss                                 skip the cache-miss row (MobileNet, slow to start)
  --duration=8  --warmup=2  --connections=16  measured seconds per path (hit, save, list) and server
  --rounds=4  --slice-warmup=1              the duration in rounds of slices, servers in turn
  --miss-duration=<duration>  --miss-connections=4  --miss-cpus=<taskset list, default all>
  --miss-workers=1,2                        one miss run per MODEL_WORKERS value, back to back
  --list-rows=300  --out=bench/results/compare.json  --note="text kept in the JSON"
  --paths=hit,save,list                     the paths loaded (default all)
  --cpu-prof=<dir>                          pettracker runs under node --cpu-prof, its profile in <dir>
smoke run (~1 min): npm run bench:compare -- --duration=1 --warmup=1 --rounds=1 --no-miss --out=/tmp/compare.json`;

const text = { type: 'string' } as const;
const flags = {
  only: text,
  'no-miss': { type: 'boolean' },
  duration: text,
  warmup: text,
  rounds: text,
  'slice-warmup': text,
  connections: text,
  'miss-duration': text,
  'miss-connections': text,
  'miss-cpus': text,
  'miss-workers': text,
  'list-rows': text,
  out: text,
  note: text,
  paths: text,
  'cpu-prof': text,
  help: { type: 'boolean' },
} as const;

function number(name: string, raw: string | undefined, fallback: number, min: 'positive' | 'zero'): number {
  const n = Number(raw ?? fallback);
  if (!Number.isFinite(n) || n < 0 || (min === 'positive' && n === 0))
    throw new Error(
      `--${name} must be ${min === 'positive' ? 'a positive number' : '0 or more'}, got "${raw}"`,
    );
  return n;
}

function list<T extends string>(name: string, raw: string | undefined, known: readonly T[]): T[] {
  if (raw === undefined) return [...known];
  return raw.split(',').map((s) => {
    if (!known.includes(s.trim() as T))
      throw new Error(`--${name}: unknown value "${s}" (${known.join(', ')})`);
    return s.trim() as T;
  });
}

export function parseCompareArgs(argv: readonly string[]) {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof flags }>>['values'];
  try {
    values = parseArgs({ args: [...argv], options: flags, strict: true }).values;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${usage}`);
  }
  const durationS = number('duration', values.duration, 8, 'positive');
  const only = list('only', values.only, serverNames).filter((s) => !(values['no-miss'] && s === 'miss'));
  return {
    only,
    /** Measured seconds per path and server, split over `rounds` slices. */
    durationS,
    /** The warm-up of a server's first slice on a path; later slices warm up for `sliceWarmupS`. */
    warmupS: number('warmup', values.warmup, 2, 'zero'),
    rounds: Math.round(number('rounds', values.rounds, 4, 'positive')),
    sliceWarmupS: number('slice-warmup', values['slice-warmup'], 1, 'zero'),
    connections: number('connections', values.connections, 16, 'positive'),
    missConnections: number('miss-connections', values['miss-connections'], 4, 'positive'),
    missDurationS: number('miss-duration', values['miss-duration'], durationS, 'positive'),
    /** CPUs the cache-miss server may use: all by default, since that row measures using every core. */
    missCpus: values['miss-cpus'],
    /** MODEL_WORKERS of each miss run, back to back; empty: one run on the server's default. */
    missWorkers: (values['miss-workers'] ?? '')
      .split(',')
      .filter((w) => w.trim() !== '')
      .map((w) => Math.round(number('miss-workers', w, 0, 'positive'))),
    /** Rows seeded for the list user before GET /predictions?limit=20. */
    listRows: number('list-rows', values['list-rows'], 300, 'positive'),
    out: values.out ?? 'bench/results/compare.json',
    note: values.note,
    paths: list('paths', values.paths, loadPaths),
    /** Where pettracker's CPU profile goes (node --cpu-prof); none by default. */
    cpuProfDir: values['cpu-prof'],
  };
}

export type CompareOptions = ReturnType<typeof parseCompareArgs>;
