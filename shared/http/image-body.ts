import { Readable } from 'node:stream';
import busboy from 'busboy';
import { BadRequestError, PayloadTooLargeError } from '../errors.js';

export interface ImageBody {
  image: Buffer;
  contentType: string | undefined;
}

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
    return readMultipartImage(body, contentType, maxImageBytes);
  }
  return { image: body, contentType };
}

function readMultipartImage(body: Buffer, contentType: string, maxImageBytes: number): Promise<ImageBody> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: { files: 1, fileSize: maxImageBytes, fields: 20, parts: 25 },
      });
    } catch (cause) {
      reject(
        new BadRequestError('VALIDATION_FAILED', `Malformed multipart body: ${(cause as Error).message}`),
      );
      return;
    }
    let found: ImageBody | null = null;
    let tooLarge = false;
    parser.on('file', (name, stream, info) => {
      if (name !== 'image') {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.on('end', () => {
        found = { image: Buffer.concat(chunks), contentType: info.mimeType };
      });
    });
    parser.on('error', (cause: Error) =>
      reject(new BadRequestError('VALIDATION_FAILED', `Malformed multipart body: ${cause.message}`)),
    );
    parser.on('close', () => {
      if (tooLarge) reject(new PayloadTooLargeError(maxImageBytes));
      else if (!found)
        reject(new BadRequestError('EMPTY_BODY', 'The multipart body has no file field "image".'));
      else resolve(found);
    });
    Readable.from([body]).pipe(parser);
  });
}
