import { spawn } from 'node:child_process';
import { projectRoot } from '../shared/config.js';

/**
 * Runs a TypeScript bench script in its own Node process pinned to `cpus` (taskset) and returns the
 * JSON object it prints as its last line of stdout; stderr passes through. Pinning is the point: the
 * load generator and the one-thread baseline must not share a core with the server under test.
 */
export async function runPinnedJson<T>(cpus: string, args: readonly string[], what: string): Promise<T> {
  const child = spawn('taskset', ['-c', cpus, process.execPath, '--import', 'tsx', ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`${what} failed (${code}): ${out}`);
  return JSON.parse(line) as T;
}
