import type { IncomingMessage } from 'node:http';
import { ClientClosedRequestError, RequestTimeoutError } from '../shared/errors.js';
import type { BodyLimit } from '../shared/http/body-limits.js';

export interface ReadBodyOptions {
  limit: BodyLimit;
  /** The whole body must have arrived this long after reading started, or the read ends with 408. */
  timeoutMs: number;
}

/**
 * Reads the request body up to the limit. Past the limit it stops reading at once (a declared
 * Content-Length over the limit is refused before any byte is read), so an oversize upload costs
 * neither memory nor the time to receive it. A body that trickles in slower than the deadline is
 * cut off with 408, so a slow client cannot hold a connection and its buffers for long. A client that
 * goes away mid-body is a ClientClosedRequestError: nobody to answer, and no fault of the server's.
 */
export function readBody(req: IncomingMessage, options: ReadBodyOptions): Promise<Buffer> {
  const { limit } = options;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit.maxBytes) return Promise.reject(limit.tooLarge());
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
      if (size > limit.maxBytes) stop(limit.tooLarge());
      else chunks.push(chunk);
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
