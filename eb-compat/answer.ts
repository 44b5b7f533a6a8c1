import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PipelineRequest, PipelineResponse } from '../shared/http/pipeline.js';
import { isDiscardingBody, readBody } from './read-body.js';

/** A Node request in the pipeline's terms; the body stays on the socket until an operation reads it. */
export function toPipelineRequest(req: IncomingMessage, bodyTimeoutMs: number): PipelineRequest {
  const { path, query } = splitUrl(req.url ?? '/');
  return {
    method: req.method ?? 'GET',
    path,
    query,
    headers: req.headers as Record<string, string | undefined>,
    body: (limit) => readBody(req, { limit, timeoutMs: bodyTimeoutMs }),
  };
}

/**
 * Writes the pipeline's answer, unless the client is gone. An answer that asks to close the
 * connection keeps it open while the refused body is still being read and thrown away.
 */
export function send(res: ServerResponse, answer: PipelineResponse, close: boolean): void {
  if (!answer.send) return;
  if (res.headersSent) {
    // A failure after the answer started: all that is left is to not hang the client.
    res.destroy();
    return;
  }
  const headers: Record<string, string | number> = answer.headers;
  if (close || (answer.close && !isDiscardingBody(res.req))) headers.connection = 'close';
  const body = answer.body ?? '';
  // A 204 carries no body and must not declare one.
  if (answer.status !== 204)
    headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(answer.status, headers);
  res.end(body);
}

/** An origin-form target (/path?query): the server turns every other form into one or refuses it. */
function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}
