import { spawn } from 'node:child_process';
import { repoRoot } from './fixtures.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the `pettracker` bin as a user would: a child process of the shim package.json points at. */
export function runCli(args: string[], env: Record<string, string> = {}, command = 'node'): Promise<CliRun> {
  const argv = command === 'node' ? ['cli/pettracker.js', ...args] : ['pettracker', ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'silent', MODEL_URI: 'models/placeholder', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
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
