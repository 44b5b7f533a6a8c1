import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './fixtures.js';

/** The client package's compiler settings: strict, DOM only, no Node types, as in a browser or React Native app. */
export const CLIENT_TSCONFIG = path.join(repoRoot, 'clients', 'typescript', 'tsconfig.json');

/**
 * A fresh folder under test-artifacts/ (inside the repository, so that an import of openapi-fetch
 * resolves to its node_modules), with a tsconfig that takes the client package's settings (but for
 * `overrides`) for `files`.
 */
export async function clientProject(
  prefix: string,
  files: readonly string[],
  overrides: Record<string, unknown> = {},
): Promise<string> {
  await mkdir(path.join(repoRoot, 'test-artifacts'), { recursive: true });
  const dir = await mkdtemp(path.join(repoRoot, 'test-artifacts', prefix));
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  const tsconfig = { extends: CLIENT_TSCONFIG, compilerOptions: overrides, include: [], files: [...files] };
  await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  return dir;
}

/** tsc on a project (its tsconfig.json, or the file given): its diagnostics, empty when it compiles. */
export async function compile(project: string): Promise<string> {
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', project, '--pretty', 'false']);
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}` || String(error);
  }
}
