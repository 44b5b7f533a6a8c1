import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocal } from '../listen.js';
import { isCommandError, type Outcome, RedisRelay } from './redis-relay.js';
import { encodeReply } from './reply-encoding.js';
import { commandFromPath, parseJson, RestError, readBody, toCommand, toCommands } from './rest-request.js';

export interface UpstashEmulatorOptions {
  /** Default 0: any free port (read it from `url`). */
  port?: number;
  /** Default 127.0.0.1: the emulator checks only a static token, so keep it off other interfaces. */
  host?: string;
  /** The real Redis every command is relayed to, e.g. redis://127.0.0.1:6379. */
  redisUrl: string;
  /** The bearer token clients must send, as with an Upstash database's REST token. */
  token: string;
  /** Default 10 MiB. */
  maxBodyBytes?: number;
}

export interface UpstashEmulator {
  /** http://host:port, to pass as @upstash/redis's `url`. */
  url: string;
  close(): Promise<void>;
}

/**
 * A local stand-in for Upstash's Redis REST API, backed by a real Redis: POST / runs one command,
 * POST /pipeline several in order (not atomic), POST /multi-exec several atomically; replies are
 * {result} or {error}, base64-encoded when the client sends `Upstash-Encoding: base64`.
 */
export async function startUpstashEmulator(options: UpstashEmulatorOptions): Promise<UpstashEmulator> {
  const relay = new RedisRelay(options.redisUrl);
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const server = createServer((req, res) => {
    handle(req, res, relay, options.token, maxBodyBytes).catch((error: unknown) => {
      const status = error instanceof RestError ? error.status : 500;
      send(res, status, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  const url = await listenLocal(server, options.port, options.host);
  return {
    url,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // fetch keeps connections alive; without this, close() would wait for them to idle out.
      server.closeAllConnections();
      await closed;
      await relay.close();
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  relay: RedisRelay,
  token: string,
  maxBodyBytes: number,
): Promise<void> {
  if (req.headers.authorization !== `Bearer ${token}`) {
    // Drain the body so the connection can be reused; the answer does not depend on it.
    req.resume();
    return send(res, 401, { error: 'Unauthorized: missing or invalid bearer token' });
  }
  const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
  const { pathname } = new URL(req.url ?? '/', 'http://emulator');
  const method = req.method ?? 'GET';
  if (method !== 'POST' && method !== 'GET') throw new RestError(405, `ERR method ${method} not allowed`);
  const body = await readBody(req, maxBodyBytes);

  if (method === 'POST' && pathname === '/pipeline') {
    const outcomes = await relay.pipeline(toCommands(parseJson(body)));
    return send(
      res,
      200,
      outcomes.map((o) => entry(o, base64)),
    );
  }
  if (method === 'POST' && pathname === '/multi-exec') {
    const outcomes = await relay.transaction(toCommands(parseJson(body))).catch(rethrowAsRestError);
    return send(
      res,
      200,
      outcomes.map((o) => entry(o, base64)),
    );
  }
  const command =
    method === 'POST' && pathname === '/' ? toCommand(parseJson(body)) : commandFromPath(pathname, body);
  const outcome = await relay.run(command);
  if (outcome.ok) return send(res, 200, { result: encodeReply(outcome.reply, base64) });
  rethrowAsRestError(outcome.error);
}

/** One entry of a pipeline or transaction reply; errors are never encoded. */
function entry(outcome: Outcome, base64: boolean) {
  return outcome.ok ? { result: encodeReply(outcome.reply, base64) } : { error: outcome.error.message };
}

/** A command Redis refused is the client's fault (400, as Upstash answers); anything else is ours. */
function rethrowAsRestError(error: Error): never {
  if (!isCommandError(error)) throw new RestError(500, `ERR Redis unavailable: ${error.message}`);
  // EXECABORT alone does not say which command was wrong; ioredis keeps the queueing errors.
  const previous = (error as { previousErrors?: Error[] }).previousErrors ?? [];
  const detail = previous.map((e) => e.message).join('; ');
  throw new RestError(400, detail ? `${error.message} ${detail}` : error.message);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
