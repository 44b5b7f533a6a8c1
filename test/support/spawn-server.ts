import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { projectRoot } from '../../shared/config.js';

export interface SpawnedServer {
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts a command that serves HTTP on PORT and waits for /ready, as Beanstalk's health check would. */
export async function spawnServer(
  command: string[],
  env: Record<string, string>,
  options: { readyTimeoutMs?: number; keepOutput?: boolean } = {},
) {
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const keep = options.keepOutput ?? true;
  const port = await freePort();
  const [bin, ...args] = command as [string, ...string[]];
  const child = spawn(bin, args, {
    cwd: projectRoot,
    env: { ...process.env, MODEL_URI: 'models/placeholder', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
    // A benchmark's request logs are drained, not kept: only the tail stays, for error messages.
    if (!keep && output.length > 16_384) output = output.slice(-8_192);
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output}`);
    const ready = await fetch(`${url}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { url, child, output: () => output, exited } satisfies SpawnedServer;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`server not ready within ${readyTimeoutMs} ms:\n${output}`);
}
