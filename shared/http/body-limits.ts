import { PayloadTooLargeError } from '../errors.js';
import type { Operation } from './operation.js';

// A save is a few hundred bytes; multipart framing around an image is a few hundred more.
export const JSON_BODY_LIMIT = 64 * 1024;
export const MULTIPART_OVERHEAD = 64 * 1024;

export interface BodyLimit {
  /** The most bytes a transport reads before it stops and answers 413. */
  maxBytes: number;
  /** The 413 it answers. An image's names MAX_IMAGE_BYTES, the limit the client controls, not the framing allowance. */
  tooLarge(): PayloadTooLargeError;
}

/**
 * The same transport limit for both runtimes, so both refuse the same bodies with the same 413. An
 * image body may carry multipart framing; the image itself is held to exactly MAX_IMAGE_BYTES later,
 * by the multipart reader and by the core's checks, so raw and multipart agree on it to the byte.
 */
export function bodyLimit(op: Operation, maxImageBytes: number): BodyLimit {
  if (op.body.kind === 'image') {
    return {
      maxBytes: maxImageBytes + MULTIPART_OVERHEAD,
      tooLarge: () => new PayloadTooLargeError(maxImageBytes, 'image'),
    };
  }
  return { maxBytes: JSON_BODY_LIMIT, tooLarge: () => new PayloadTooLargeError(JSON_BODY_LIMIT, 'body') };
}

/** A body the transport already holds, or reads on demand, so it can stop at the limit mid-stream. */
export type RequestBody = Buffer | ((limit: BodyLimit) => Promise<Buffer>);

/** The body under the operation's limit: a held one is checked, a streamed one is read up to it. */
export async function bodyWithin(body: RequestBody, limit: BodyLimit): Promise<Buffer> {
  if (typeof body === 'function') return body(limit);
  if (body.length > limit.maxBytes) throw limit.tooLarge();
  return body;
}
