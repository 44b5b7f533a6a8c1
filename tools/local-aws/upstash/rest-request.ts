import type { IncomingMessage } from 'node:http';
import type { RestCommand } from './redis-relay.js';

/** A request the emulator answers with an error status and an Upstash-style {error} body. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RestError';
  }
}

/** Reads the whole body, refusing more than `limit` bytes (Upstash caps request size too). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new RestError(413, `ERR request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new RestError(400, 'ERR failed to parse the request body as JSON');
  }
}

/** ["SET", "k", "v", "EX", 60]: a command name, then strings, numbers or booleans. */
export function toCommand(value: unknown): RestCommand {
  if (!Array.isArray(value) || value.length === 0 || typeof value[0] !== 'string') {
    throw new RestError(400, 'ERR a command is a non-empty JSON array starting with the command name');
  }
  for (const arg of value) {
    if (!['string', 'number', 'boolean'].includes(typeof arg)) {
      throw new RestError(400, 'ERR command arguments must be strings, numbers or booleans');
    }
  }
  return value as RestCommand;
}

export function toCommands(value: unknown): RestCommand[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new RestError(400, 'ERR a pipeline is a non-empty JSON array of commands');
  }
  return value.map(toCommand);
}

/**
 * The REST API's path form: GET /get/key, or POST /set/key with the value as the raw body. The
 * @upstash/redis client never uses it (it POSTs JSON), but it makes the emulator easy to curl.
 */
export function commandFromPath(pathname: string, body: Buffer): RestCommand {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const [name, ...args] = segments;
  if (name === undefined) throw new RestError(400, 'ERR no command in the path');
  return body.length > 0 ? [name, ...args, body.toString('utf8')] : [name, ...args];
}
