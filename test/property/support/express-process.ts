import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SpawnedServer, spawnServer } from '../../support/spawn-server.js';
import type { CaseResponse, HttpCase } from './http-case.js';

const ANSWER_TIMEOUT_MS = 15_000;

export interface ExpressProcess {
  dataDir: string;
  /** The server process's pid, for measuring what a request cost it. */
  pid(): number | undefined;
  send(c: HttpCase): Promise<CaseResponse>;
  /** Status of GET /health, or 0 when the process does not answer (dead, or hung). */
  health(): Promise<number>;
  /** Starts the server again if it died, so one crash does not hide the other operations' results. */
  ensureRunning(): Promise<void>;
  /** The server's log tail: what a crash printed. */
  output(): string;
  close(): Promise<void>;
}

/**
 * The Express runtime as production runs it (`npm start`: eb-compat/main.ts) in a process of its own,
 * on the real PostgreSQL. A process of its own makes "the process is alive" a real check: a request
 * that crashes the server ends that process, not the test runner, and the next health check sees it.
 */
export async function startExpressProcess(env: Record<string, string>): Promise<ExpressProcess> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pettracker-prop-express-'));
  const fullEnv = { NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR: dataDir, CACHE: 'memory', ...env };
  const start = () =>
    spawnServer([process.execPath, '--import', 'tsx', 'eb-compat/main.ts'], fullEnv, { keepOutput: false });
  let server: SpawnedServer = await start();
  let agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let crashLog = '';
  const send = (c: HttpCase) => sendOver(agent, new URL(server.url), c);
  const health = async () => {
    try {
      return (await send({ method: 'GET', url: '/health', headers: {}, viaGateway: true, kind: 'health' }))
        .status;
    } catch {
      return 0;
    }
  };
  return {
    dataDir,
    pid: () => server.child.pid,
    send,
    health,
    async ensureRunning() {
      if ((await health()) === 200) return;
      crashLog += server.output();
      server.child.kill('SIGKILL');
      await server.exited;
      agent.destroy();
      agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      server = await start();
    },
    output: () => crashLog + server.output(),
    async close() {
      agent.destroy();
      server.child.kill('SIGKILL');
      await server.exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sends one case over a real socket: any header a client may send, the body with or without a length. */
function sendOver(agent: http.Agent, base: URL, c: HttpCase): Promise<CaseResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    // Without a length the body goes chunked, also on GET and DELETE (Node would otherwise send it unframed).
    const chunked = c.body !== undefined && c.headers['content-length'] === undefined;
    const headers = chunked ? { ...c.headers, 'transfer-encoding': 'chunked' } : c.headers;
    const req = http.request(
      { host: base.hostname, port: base.port, method: c.method, path: c.url, headers, agent },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.setTimeout(ANSWER_TIMEOUT_MS, () =>
      req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)),
    );
    // A server that answers (413) before reading the whole body may reset the upload: the answer counts.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(c.body);
  });
}
