import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HttpApiEvent, HttpApiResult } from '../../../functions/runtime/api-gateway.js';
import { projectRoot } from '../../../shared/config.js';

const HOST = fileURLToPath(new URL('./lambda-source-host.ts', import.meta.url));
const ANSWER_TIMEOUT_MS = 30_000;

export interface LambdaProcess {
  /** Calls one function; rejects when it threw (Lambda then reports a 500) or its process died. */
  invoke(fn: string, event: HttpApiEvent): Promise<HttpApiResult>;
  alive(): boolean;
  /** The functions' process's pid, for measuring what a request cost it. */
  pid(): number | undefined;
  output(): string;
  close(): Promise<void>;
}

/** Starts lambda-source-host.ts under tsx with `env` and waits until every function is warm. */
export function startLambdaProcess(env: Record<string, string>): Promise<LambdaProcess> {
  const child: ChildProcess = fork(HOST, [], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-16_384);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const pending = new Map<number, { resolve: (r: HttpApiResult) => void; reject: (e: Error) => void }>();
  let next = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    for (const p of pending.values())
      p.reject(new Error(`the functions' process exited (${code ?? signal})`));
    pending.clear();
  });
  return new Promise((resolve, reject) => {
    const early = (code: number | null) =>
      reject(new Error(`lambda host exited during start (${code}):\n${output}`));
    child.once('exit', early);
    child.on('message', (m: { type?: string; id?: number; result?: HttpApiResult; error?: string }) => {
      if (m.type === 'ready') {
        child.off('exit', early);
        resolve(api());
        return;
      }
      const p = pending.get(m.id ?? -1);
      if (!p) return;
      pending.delete(m.id ?? -1);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result as HttpApiResult);
    });
  });

  function api(): LambdaProcess {
    return {
      invoke(fn, event) {
        if (child.exitCode !== null || child.signalCode !== null) {
          return Promise.reject(new Error("the functions' process is not running"));
        }
        const id = next++;
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            pending.delete(id);
            reject(new Error(`${fn} gave no answer within ${ANSWER_TIMEOUT_MS} ms`));
          }, ANSWER_TIMEOUT_MS);
          pending.set(id, {
            resolve: (r) => {
              clearTimeout(timer);
              resolve(r);
            },
            reject: (e) => {
              clearTimeout(timer);
              reject(e);
            },
          });
          child.send({ id, fn, event });
        });
      },
      alive: () => child.exitCode === null && child.signalCode === null,
      pid: () => child.pid,
      output: () => output,
      async close() {
        child.kill('SIGKILL');
        await exited;
      },
    };
  }
}
