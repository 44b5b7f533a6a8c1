import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DataApiError } from './errors.js';

/** BatchExecute's request limit, the largest of the five operations. */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** A restJson1 response; errors name their type in x-amzn-errortype, where the SDK looks first. */
export function send(res: ServerResponse, status: number, json: string, errorType?: string): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(json)),
    'x-amzn-requestid': randomUUID(),
  };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  res.writeHead(status, headers).end(json);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
  }
  if (size > MAX_REQUEST_BYTES) throw new DataApiError('BadRequestException', 'Request size exceeds 4 MiB');
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    throw new DataApiError('BadRequestException', 'The request body is not valid JSON');
  }
}
