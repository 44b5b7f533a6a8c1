import busboy from 'busboy';
import { BadRequestError, PayloadTooLargeError } from '../errors.js';

export interface ImageBody {
  image: Buffer;
  contentType: string | undefined;
}

const IMAGE_FIELD = 'image';
// Every part counts, ignored ones too; past this busboy skips the rest. The body itself is already
// bounded by the transport, so this only bounds the bookkeeping.
const MAX_PARTS = 25;

/**
 * The image from a request: either the raw body (image/jpeg, image/png, image/webp) or the file
 * field `image` of a multipart/form-data body, which is what the seed's mobile clients send.
 */
export async function readImageBody(
  body: Buffer,
  contentType: string | undefined,
  maxImageBytes: number,
): Promise<ImageBody> {
  if (contentType?.toLowerCase().startsWith('multipart/form-data')) {
    if (body.length === 0) throw new BadRequestError('EMPTY_BODY', 'The multipart body is empty.');
    return readMultipartImage(body, contentType, maxImageBytes);
  }
  return { image: body, contentType: contentType === undefined ? undefined : canonicalType(contentType) };
}

/** `image/jpg` is not registered, but clients send it for JPEG; the core compares the canonical name. */
function canonicalType(contentType: string): string {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return type === 'image/jpg' || type === 'image/pjpeg' ? 'image/jpeg' : contentType;
}

/**
 * busboy says text/plain for a part without a Content-Type (RFC 7578's default), and clients label
 * files they did not inspect application/octet-stream: for both the magic bytes decide.
 */
function declaredPartType(mimeType: string): string | undefined {
  const type = mimeType.toLowerCase();
  if (type === 'text/plain' || type === 'application/octet-stream') return undefined;
  return canonicalType(type);
}

function readMultipartImage(body: Buffer, contentType: string, maxImageBytes: number): Promise<ImageBody> {
  return new Promise((resolve, reject) => {
    const malformed = (cause: unknown) =>
      reject(
        new BadRequestError(
          'MALFORMED_MULTIPART',
          `The multipart body is malformed: ${cause instanceof Error ? cause.message : String(cause)}.`,
        ),
      );
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        // Field values decode as latin1, which maps back to the very bytes (see the 'field' listener).
        defCharset: 'latin1',
        limits: {
          // No `files: 1`: busboy counts ignored file parts too, so an unrelated file sent before
          // "image" would use it up. Only the first "image" part is read; the others are drained.
          parts: MAX_PARTS,
          // busboy trips `fileSize` when a part reaches it, so the first byte over MAX_IMAGE_BYTES
          // trips it: an image of exactly MAX_IMAGE_BYTES passes, as it does as a raw body.
          fileSize: maxImageBytes + 1,
          fieldSize: maxImageBytes + 1,
        },
      });
    } catch (cause) {
      malformed(cause);
      return;
    }
    let found: ImageBody | undefined;
    let claimed = false;
    let tooLarge = false;
    parser.on('file', (name, stream, info) => {
      // Every part's stream, drained or read, gets an error listener: busboy emits 'error' on it when the
      // body ends inside the part, and an unheard 'error' ends the process (mscdex/busboy#298).
      stream.on('error', malformed);
      if (name !== IMAGE_FIELD || claimed) {
        stream.resume();
        return;
      }
      claimed = true;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.on('end', () => {
        found = { image: Buffer.concat(chunks), contentType: declaredPartType(info.mimeType) };
      });
    });
    parser.on('field', (name, value: string, info) => {
      if (name !== IMAGE_FIELD || claimed) return;
      // A part with neither a filename nor a Content-Type is a field to busboy (curl -F 'image=<cat.jpg').
      claimed = true;
      if (info.valueTruncated) tooLarge = true;
      found = { image: Buffer.from(value, 'latin1'), contentType: undefined };
    });
    parser.on('error', malformed);
    parser.on('close', () => {
      if (tooLarge) reject(new PayloadTooLargeError(maxImageBytes));
      else if (!found)
        reject(new BadRequestError('EMPTY_BODY', 'The multipart body has no file field "image".'));
      else resolve(found);
    });
    try {
      parser.end(body);
    } catch (cause) {
      // A parser that throws rather than emits must not turn a client's body into a 500.
      malformed(cause);
    }
  });
}
