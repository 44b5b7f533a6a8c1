import { mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { bundleEntries } from '../eb-compat/bundle/esbuild-bundle.js';
import { BUNDLE_LAYOUT } from '../eb-compat/bundle/layout.js';
import { PUBLIC_DIR } from '../eb-compat/site.js';
import { projectRoot } from '../shared/config.js';

/** Where the benchmarks' build of the server goes (dist/ is not committed). */
const BUILD_DIR = path.join(projectRoot, 'dist', 'bench-server');

let built: Promise<string[]> | undefined;

/**
 * The command that starts the Express runtime as Beanstalk runs it: the bundle's compiled server
 * (the same esbuild build as `npm run eb:bundle`) under the Procfile's node flags, not the sources
 * through tsx, whose loader thread and transform cache add ~75 MB of RSS and their own CPU. The
 * build's root borrows the repository's models/, migrations/ and web page by symlink, and resolves
 * sharp and the wasm binaries from its node_modules. Built once per process.
 */
export async function builtServerCommand(nodeFlags: readonly string[] = []): Promise<string[]> {
  built ??= build();
  const [node, ...rest] = await built;
  return [node as string, ...nodeFlags, ...rest];
}

async function build(): Promise<string[]> {
  await rm(BUILD_DIR, { recursive: true, force: true });
  await mkdir(BUILD_DIR, { recursive: true });
  await bundleEntries(BUILD_DIR);
  const borrowed = ['models', 'migrations', path.relative(projectRoot, PUBLIC_DIR)];
  for (const relative of borrowed) {
    await mkdir(path.dirname(path.join(BUILD_DIR, relative)), { recursive: true });
    await symlink(path.join(projectRoot, relative), path.join(BUILD_DIR, relative));
  }
  return ['node', '--enable-source-maps', path.join(BUILD_DIR, BUNDLE_LAYOUT.server)];
}
