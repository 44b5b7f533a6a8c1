import { readFile } from 'node:fs/promises';
import path from 'node:path';

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  optional?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  [field: string]: unknown;
}

interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

export interface ProductionPackage {
  packageJson: Record<string, unknown>;
  lockfile: Record<string, unknown>;
}

/** Node's lookup from the package at `from`: its own node_modules, then each parent's. */
function resolveInLock(packages: Lockfile['packages'], from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/**
 * The package.json and package-lock.json the instance installs from: only `names`, pinned to the
 * versions this repository's lockfile holds (so the instance runs exactly what the tests ran), with
 * every transitive entry cut from that lockfile, including each platform's optional sharp binary,
 * so that an x64 or a Graviton instance picks its own. Nothing is resolved against a registry here.
 */
export async function productionPackage(
  rootDir: string,
  names: readonly string[],
  optionalNames: readonly string[] = [],
): Promise<ProductionPackage> {
  const lock = JSON.parse(await readFile(path.join(rootDir, 'package-lock.json'), 'utf8')) as Lockfile;
  const rootPackage = JSON.parse(await readFile(path.join(rootDir, 'package.json'), 'utf8')) as {
    version: string;
    engines?: Record<string, string>;
  };
  const dependencies: Record<string, string> = {};
  const optionalDependencies: Record<string, string> = {};
  const kept = new Map<string, boolean>(); // lock path -> reached only through optional edges
  const queue: { at: string; optional: boolean }[] = [];
  const roots = [
    ...names.map((name) => ({ name, optional: false })),
    ...optionalNames.map((name) => ({ name, optional: true })),
  ];
  for (const { name, optional } of roots) {
    const at = resolveInLock(lock.packages, '', name);
    const version = at ? lock.packages[at]?.version : undefined;
    if (!at || !version) throw new Error(`${name} is not in package-lock.json; run npm install first.`);
    (optional ? optionalDependencies : dependencies)[name] = version;
    queue.push({ at, optional });
  }
  while (queue.length > 0) {
    const { at, optional } = queue.shift() as { at: string; optional: boolean };
    const seen = kept.get(at);
    if (seen === false || (seen === true && optional)) continue;
    kept.set(at, optional);
    const entry = lock.packages[at] as LockEntry;
    const edges = [
      ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional })),
      ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ];
    for (const edge of edges) {
      const target = resolveInLock(lock.packages, at, edge.name);
      // An optional dependency for another platform may be absent from the lock; a required one may not.
      if (target) queue.push({ at: target, optional: edge.optional });
      else if (!edge.optional)
        throw new Error(`${edge.name} (needed by ${at}) is missing from package-lock.json.`);
    }
  }
  const packageJson = {
    name: 'pettracker-eb',
    version: rootPackage.version,
    private: true,
    description: 'pettracker on Elastic Beanstalk: bundled with esbuild; only native code is installed.',
    // The bundle is compiled for Node.js 22 (esbuild target node22), whatever the sources accept.
    engines: { node: '>=22' },
    dependencies,
    // npm installs these where it can and goes on without them where it cannot (a failed download or
    // install script): tfjs-node's needs libtensorflow from Google's servers.
    ...(optionalNames.length > 0 ? { optionalDependencies } : {}),
  };
  const packages: Record<string, LockEntry> = {
    '': {
      name: packageJson.name,
      version: packageJson.version,
      dependencies,
      ...(optionalNames.length > 0 ? { optionalDependencies } : {}),
      engines: packageJson.engines,
    },
  };
  for (const at of [...kept.keys()].sort()) {
    const {
      dev: _dev,
      devOptional: _devOptional,
      optional: _optional,
      ...entry
    } = lock.packages[at] as LockEntry;
    packages[at] = kept.get(at) ? { ...entry, optional: true } : entry;
  }
  return {
    packageJson,
    lockfile: {
      name: packageJson.name,
      version: packageJson.version,
      lockfileVersion: 3,
      requires: true,
      packages,
    },
  };
}
