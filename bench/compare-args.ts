/** The flags of `npm run bench:compare`; defaults are the load of issue 10. */
export const serverNames = ['peer', 'http', 'express', 'pettracker', 'miss'] as const;
export type ServerName = (typeof serverNames)[number];

export interface CompareOptions {
  only: ServerName[];
  /** Measured seconds per path and server, split over `rounds` slices. */
  durationS: number;
  /** The warm-up of a server's first slice on a path; later slices warm up for `sliceWarmupS`. */
  warmupS: number;
  /** Slices per path: each round loads every server once on the path, in a rotated order. */
  rounds: number;
  sliceWarmupS: number;
  connections: number;
  missConnections: number;
  missDurationS: number;
  /** CPUs the cache-miss server may use: all by default, since that row measures using every core. */
  missCpus: string | undefined;
  /** MODEL_WORKERS of each miss run, back to back (e.g. [1, 2]); empty: one run on the server's default. */
  missWorkers: number[];
  /** Rows seeded for the list user before GET /predictions?limit=20. */
  listRows: number;
  /** Where compare.json goes; a smoke run can write elsewhere and leave the committed figures alone. */
  out: string;
  /** Free text kept in compare.json, e.g. what else ran on the machine. */
  note: string | undefined;
  /** The paths each server is loaded on (default all three). */
  paths: LoadPath[];
  /** Where pettracker's CPU profile goes (node --cpu-prof), one file for its run; none by default. */
  cpuProfDir: string | undefined;
}

export const loadPaths = ['hit', 'save', 'list'] as const;
export type LoadPath = (typeof loadPaths)[number];

export const usage = `npm run bench:compare -- [flags]
  --only=peer,http,express,pettracker,miss  servers to run (default: all; miss = pettracker on MobileNet)
  --no-miss                                 skip the cache-miss row (MobileNet, slow to start)
  --duration=8  --warmup=2  --connections=16  per path (hit, save, list) and server
  --rounds=4  --slice-warmup=1              the duration in rounds of slices, servers in turn
  --miss-duration=<duration>  --miss-connections=4  --miss-cpus=<taskset list, default all>
  --miss-workers=1,2                        one miss run per MODEL_WORKERS value, back to back
  --list-rows=300  --out=bench/results/compare.json  --note="text kept in the JSON"
  --paths=hit,save,list                     the paths loaded (default all)
  --cpu-prof=<dir>                          pettracker runs under node --cpu-prof, its profile in <dir>
smoke run (~1 min): npm run bench:compare -- --duration=1 --warmup=1 --rounds=1 --no-miss --out=/tmp/compare.json`;

function positive(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${raw}"`);
  return n;
}

export function parseCompareArgs(argv: readonly string[]): CompareOptions {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1]) throw new Error(`unknown argument "${arg}"\n${usage}`);
    flags.set(match[1], match[2] ?? 'true');
  }
  const known = [
    'only',
    'no-miss',
    'duration',
    'warmup',
    'rounds',
    'slice-warmup',
    'connections',
    'miss-duration',
    'miss-connections',
    'miss-cpus',
    'miss-workers',
    'list-rows',
    'out',
    'note',
    'paths',
    'cpu-prof',
    'help',
  ];
  for (const name of flags.keys())
    if (!known.includes(name)) throw new Error(`unknown flag --${name}\n${usage}`);
  let only: ServerName[] = [...serverNames];
  const onlyRaw = flags.get('only');
  if (onlyRaw) {
    only = onlyRaw.split(',').map((s) => {
      const name = s.trim() as ServerName;
      if (!serverNames.includes(name))
        throw new Error(`--only: unknown server "${s}" (${serverNames.join(', ')})`);
      return name;
    });
  }
  if (flags.has('no-miss')) only = only.filter((s) => s !== 'miss');
  const durationS = positive('duration', flags.get('duration') ?? '8');
  const warmupS = Number(flags.get('warmup') ?? '2');
  if (!Number.isFinite(warmupS) || warmupS < 0) throw new Error('--warmup must be 0 or more seconds');
  const sliceWarmupS = Number(flags.get('slice-warmup') ?? '1');
  if (!Number.isFinite(sliceWarmupS) || sliceWarmupS < 0)
    throw new Error('--slice-warmup must be 0 or more seconds');
  return {
    only,
    durationS,
    warmupS,
    rounds: Math.round(positive('rounds', flags.get('rounds') ?? '4')),
    sliceWarmupS,
    connections: positive('connections', flags.get('connections') ?? '16'),
    missConnections: positive('miss-connections', flags.get('miss-connections') ?? '4'),
    missDurationS: positive('miss-duration', flags.get('miss-duration') ?? String(durationS)),
    missCpus: flags.get('miss-cpus'),
    missWorkers: (flags.get('miss-workers') ?? '')
      .split(',')
      .filter((w) => w.trim() !== '')
      .map((w) => Math.round(positive('miss-workers', w))),
    listRows: positive('list-rows', flags.get('list-rows') ?? '300'),
    out: flags.get('out') ?? 'bench/results/compare.json',
    note: flags.get('note'),
    paths: (flags.get('paths') ?? loadPaths.join(',')).split(',').map((s) => {
      const name = s.trim() as LoadPath;
      if (!loadPaths.includes(name))
        throw new Error(`--paths: unknown path "${s}" (${loadPaths.join(', ')})`);
      return name;
    }),
    cpuProfDir: flags.get('cpu-prof'),
  };
}
