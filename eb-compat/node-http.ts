import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClientClosedRequestError, RequestTimeoutError } from '../shared/errors.js';
import type { BodyLimit } from '../shared/http/body-limits.js';
import type { PipelineRequest, PipelineResponse } from '../shared/http/pipeline.js';

/** A Node request in the pipeline's terms; the body stays on the socket until an operation reads it. */
export function toPipelineRequest(req: IncomingMessage, bodyTimeoutMs: number): PipelineRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return {
    method: req.method ?? 'GET',
    // An origin-form target (/path?query): the server turns every other form into one or refuses it.
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
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

interface ReadBodyOptions {
  limit: BodyLimit;
  /** The whole body must have arrived this long after reading started, or the read ends with 408. */
  timeoutMs: number;
}

/** Requests whose refused body is being read and thrown away: their connection stays open. */
const discarding = new WeakSet<IncomingMessage>();

/**
 * Reads the request body up to the limit. Past the limit it keeps nothing more (a declared
 * Content-Length over the limit is refused before any byte is read), so an oversize upload costs no
 * memory; the rest is read and thrown away until the body's deadline (see discardRest). A body that
 * trickles in slower than the deadline is cut off with 408, so a slow client cannot hold a connection
 * and its buffers for long. A client that goes away mid-body is a ClientClosedRequestError: nobody to
 * answer, and no fault of the server's.
 */
function readBody(req: IncomingMessage, options: ReadBodyOptions): Promise<Buffer> {
  const { limit } = options;
  const deadline = Date.now() + options.timeoutMs;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit.maxBytes) {
    discardRest(req, deadline);
    return Promise.reject(limit.tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: Error) => {
      cleanup();
      req.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit.maxBytes) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      discardRest(req, deadline);
      reject(limit.tooLarge());
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    // Node reports a connection reset mid-body as an 'error' ("aborted"), then 'close'; any error of
    // the request stream is its connection failing (a broken chunked framing is answered by the
    // server's clientError handler), and a 'close' before 'end' means the rest will never come.
    const onError = (error: Error) => stop(new ClientClosedRequestError(error));
    const onClose = () => stop(new ClientClosedRequestError());
    const timer = setTimeout(
      () => stop(new RequestTimeoutError(`The body was not received within ${options.timeoutMs} ms.`)),
      options.timeoutMs,
    );
    const cleanup = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Whether a refused body is still being read and thrown away, so its answer must not close the
 * connection (Node would reset it under a client that is still sending).
 */
function isDiscardingBody(req: IncomingMessage): boolean {
  return discarding.has(req) && !req.complete;
}

/**
 * The rest of a body refused for its size is read and thrown away, as nginx's lingering close does:
 * a client still sending then reads the 413 instead of a connection reset under its upload (EPIPE),
 * and the connection stays usable. Nothing is kept, so it costs bandwidth only; one still sending at
 * the body's deadline is cut off.
 */
function discardRest(req: IncomingMessage, deadline: number): void {
  if (req.complete) return;
  discarding.add(req);
  const timer = setTimeout(() => req.socket.destroy(), Math.max(0, deadline - Date.now()));
  const done = () => clearTimeout(timer);
  req.once('end', done);
  req.once('close', done);
  req.once('error', done);
  req.resume();
}
