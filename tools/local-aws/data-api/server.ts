import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocal } from '../listen.js';
import type { Backend } from './backend.js';
import { DataApiError, fromDatabaseError } from './errors.js';
import { applyFaultRequest, Faults } from './faults.js';
import { readJson, send } from './http-io.js';
import { isOperationPath, OPERATIONS, type OperationPath } from './operations.js';
import { pgBackend } from './pg-backend.js';
import { pgliteBackend } from './pglite-backend.js';
import { TRANSACTION_IDLE_TIMEOUT_MS, Transactions } from './transactions.js';

export interface DataApiEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** A PostgreSQL server; each request's `database` selects a database on it. */
  databaseUrl?: string;
  /** Used when there is no databaseUrl: PGlite per database name, on disk under dataDir or in memory. */
  pglite?: { dataDir?: string };
  /** AWS: 3 minutes. */
  transactionIdleTimeoutMs?: number;
  /** AWS: 1 MiB per response. */
  maxResponseBytes?: number;
  /** AWS: 45 s (enforced on PostgreSQL servers; PGlite has no timer to cancel a statement). */
  statementTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface DataApiEmulator {
  /** The endpoint for RDSDataClient, e.g. http://127.0.0.1:4010 */
  url: string;
  faults: Faults;
  /** Data-plane calls received (faulted ones included), for one operation or all. */
  requestCount(operation?: OperationPath): number;
  openTransactions(): number;
  close(): Promise<void>;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;
const RESPONSE_TOO_LARGE = 'Database returned more than the allowed response size limit';

/** Starts an RDS Data API emulator (restJson1 over HTTP) on PostgreSQL or PGlite. Local use only. */
export async function startDataApiEmulator(options: DataApiEmulatorOptions = {}): Promise<DataApiEmulator> {
  const log = options.log ?? (() => undefined);
  const backend: Backend = options.databaseUrl
    ? pgBackend({
        databaseUrl: options.databaseUrl,
        statementTimeoutMs: options.statementTimeoutMs ?? 45_000,
      })
    : pgliteBackend(options.pglite);
  const transactions = new Transactions(
    options.transactionIdleTimeoutMs ?? TRANSACTION_IDLE_TIMEOUT_MS,
    (id) => log(`transaction ${id.slice(0, 12)}... idle too long: rolled back`),
  );
  const faults = new Faults();
  const counts = new Map<string, number>();
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;

  const dataPlane = async (path: OperationPath, req: IncomingMessage, res: ServerResponse) => {
    // SigV4 signatures are not verified (local only), but an unsigned request is refused as AWS would.
    if (!req.headers.authorization)
      throw new DataApiError('ForbiddenException', 'Missing Authentication Token');
    const body = await readJson(req);
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const fault = faults.take();
    if (fault?.timing === 'before') throw new DataApiError(fault.type);
    const result = await OPERATIONS[path]({ backend, transactions }, body);
    if (fault) throw new DataApiError(fault.type);
    const json = JSON.stringify(result);
    if (Buffer.byteLength(json) > maxResponseBytes)
      throw new DataApiError('BadRequestException', RESPONSE_TOO_LARGE);
    send(res, 200, json);
  };

  const control = async (path: string, req: IncomingMessage, res: ServerResponse) => {
    if (path === '/_emulator/faults' && req.method === 'POST') {
      const problem = applyFaultRequest(faults, await readJson(req));
      return send(res, problem ? 400 : 200, JSON.stringify(problem ? { message: problem } : { ok: true }));
    }
    if (path === '/_emulator/health') {
      const kind = options.databaseUrl ? 'postgres' : 'pglite';
      return send(res, 200, JSON.stringify({ ok: true, backend: kind, openTransactions: transactions.size }));
    }
    send(res, 404, JSON.stringify({ message: `No control endpoint ${req.method} ${path}` }));
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    const work = path.startsWith('/_emulator/')
      ? control(path, req, res)
      : req.method === 'POST' && isOperationPath(path)
        ? dataPlane(path, req, res)
        : Promise.resolve(
            send(
              res,
              404,
              JSON.stringify({ message: `Unknown operation ${req.method} ${path}` }),
              'UnknownOperationException',
            ),
          );
    work.catch((error: unknown) => {
      const apiError = fromDatabaseError(error);
      if (apiError.type === 'InternalServerErrorException')
        log(`internal error on ${path}: ${String(error)}`);
      send(res, apiError.status, JSON.stringify(apiError.body()), apiError.type);
    });
  });
  const url = await listenLocal(server, options.port, options.host);

  return {
    url,
    faults,
    requestCount: (operation) =>
      operation ? (counts.get(operation) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0),
    openTransactions: () => transactions.size,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await transactions.closeAll();
      await backend.close();
    },
  };
}
