import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Zips the contents of `dir` (not the folder itself: Beanstalk expects Procfile and .ebextensions at
 * the archive's root) with the zip CLI, dotfiles included. -X leaves out uid/gid extra fields.
 */
export async function zipDirectory(dir: string, zipPath: string): Promise<number> {
  await run('zip', ['-q', '-r', '-X', zipPath, '.'], { cwd: dir });
  return (await stat(zipPath)).size;
}

/** Total size of the files under `dir`, i.e. the unpacked bundle. */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await directoryBytes(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}
