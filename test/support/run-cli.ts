import { spawn } from 'node:child_process';
import { repoRoot } from './fixtures.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Root reads every file whatever its mode: a run that must meet EACCES goes as nobody when the tests run
 * as root (CI here does), and as the same user otherwise. Its folders must then be open to nobody.
 */
export const UNPRIVILEGED: { uid?: number; gid?: number } =
  process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** Runs the `pettracker` bin as a user would: a child process of the shim package.json points at. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  command = 'node',
  as: { uid?: number; gid?: number } = {},
): Promise<CliRun> {
  const argv = command === 'node' ? ['cli/pettracker.js', ...args] : ['pettracker', ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'silent', MODEL_URI: 'models/placeholder', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...as,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
