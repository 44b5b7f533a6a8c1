import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../../support/spawn-server.js';

export interface BundleProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Milliseconds from spawn to the first 200 from /ready. */
  readyAfterMs: number;
}

/** Runs `argv` in the unpacked bundle with exactly `env`, collecting its output. */
export function spawnInBundle(dir: string, argv: string[], env: Record<string, string>) {
  const [bin, ...args] = argv as [string, ...string[]];
  const child = spawn(bin, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
    // Under load the request log is drained, not kept: only the tail stays, for failure messages.
    if (output.length > 1_000_000) output = output.slice(-200_000);
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Runs a one-off command (the migration) to completion. */
export async function runInBundle(dir: string, argv: string[], env: Record<string, string>) {
  const process = spawnInBundle(dir, argv, env);
  const code = await process.exited;
  return { code, output: process.output() };
}

/** Starts the web process on a free PORT and waits for /ready, as the load balancer's health check does. */
export async function startInBundle(
  dir: string,
  argv: string[],
  env: Record<string, string>,
  readyTimeoutMs = 60_000,
): Promise<BundleProcess> {
  const port = await freePort();
  const started = performance.now();
  const proc = spawnInBundle(dir, argv, { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  while (performance.now() - started < readyTimeoutMs) {
    if (proc.child.exitCode !== null)
      throw new Error(`exited early (${proc.child.exitCode}):\n${proc.output()}`);
    const ready = await fetch(`${url}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { ...proc, url, port, readyAfterMs: performance.now() - started };
    await new Promise((r) => setTimeout(r, 25));
  }
  proc.child.kill('SIGKILL');
  throw new Error(`not ready within ${readyTimeoutMs} ms:\n${proc.output()}`);
}
