import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpApiEvent, HttpApiResult } from '../../../functions/runtime/api-gateway.js';

const HOST = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lambda-host.mjs');

export interface Invocation {
  result: HttpApiResult;
  durationMs: number;
  /** From the start of the module's import to this answer. */
  sinceImportStartMs: number;
}

export interface LambdaHost {
  importMs: number;
  invoke(event: HttpApiEvent, timeoutS?: number): Promise<Invocation>;
  /** Everything the function wrote to stdout so far: its JSON log lines. */
  stdout(): string;
  close(): void;
}

/**
 * Starts a bundled handler in a fresh Node process with `env` only (nothing from this process).
 * `cpus` (a taskset list) pins it from its first instruction, as a Lambda size's vCPUs bound it.
 */
export function startLambdaHost(
  bundle: string,
  env: Record<string, string>,
  options: { cpus?: string } = {},
): Promise<LambdaHost> {
  const child: ChildProcess = fork(HOST, [bundle], {
    env: { PATH: process.env.PATH ?? '', ...env },
    // taskset execs node with the IPC channel's descriptor and environment intact.
    ...(options.cpus
      ? { execPath: 'taskset', execArgv: ['-c', options.cpus, process.execPath] }
      : { execArgv: [] }),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const pending = new Map<number, (m: Invocation & { error?: string }) => void>();
  let next = 0;
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${bundle} exited with ${code}:\n${stderr.slice(-4000)}`)));
    child.on('message', (m: { type?: string; importMs?: number; id?: number }) => {
      if (m.type === 'ready') resolve(host(m.importMs ?? 0));
      else pending.get(m.id ?? -1)?.(m as Invocation & { error?: string });
    });
  });

  function host(importMs: number): LambdaHost {
    return {
      importMs,
      invoke(event, timeoutS) {
        const id = next++;
        return new Promise((resolve, reject) => {
          pending.set(id, (m) => {
            pending.delete(id);
            if (m.error) reject(new Error(m.error));
            else resolve(m);
          });
          child.send({ id, event, timeoutS });
        });
      },
      stdout: () => stdout,
      close: () => {
        child.disconnect();
      },
    };
  }
}
