import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { readImageBody } from '../../../shared/http/image-body.js';
import { fileHeaders, form, MULTIPART, part } from '../../support/hostile-bodies.js';
import { makeJpeg } from '../../support/images.js';

const MAX = 100_000;

/** The outcome as the API would answer it: a status and code, or the image read. */
async function outcome(body: Buffer, type = MULTIPART): Promise<string> {
  try {
    const read = await readImageBody(body, type, MAX);
    return `ok ${read.image.length}`;
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return `${error.status} ${error.code}`;
    throw error;
  }
}

describe('readImageBody on every cut of a multipart body', () => {
  it('answers every prefix with the image or a 4xx, never anything else', async () => {
    const jpeg = await makeJpeg(24, 16);
    const body = form(
      part(['Content-Disposition: form-data; name="note"'], 'hello'),
      part(fileHeaders('thumb', 'image/png', 't.png'), Buffer.alloc(300, 7)),
      part(fileHeaders('image', 'image/jpeg'), jpeg),
    );
    const seen = new Map<string, number[]>();
    for (let cut = 0; cut <= body.length; cut++) {
      const answer = await outcome(body.subarray(0, cut));
      const kind = answer.startsWith('ok') ? 'ok' : answer;
      seen.set(kind, [...(seen.get(kind) ?? []), cut]);
    }
    // Only a body that reaches the close delimiter reads: the CRLF after it is epilogue (RFC 2046).
    expect(seen.get('ok')).toEqual([body.length - 2, body.length - 1, body.length]);
    expect([...seen.keys()].sort()).toEqual(['400 EMPTY_BODY', '400 MALFORMED_MULTIPART', 'ok']);
    expect(seen.get('400 EMPTY_BODY')).toEqual([0]);
  });

  it('answers each single-byte corruption of the framing with the image or a 4xx', async () => {
    const jpeg = await makeJpeg(24, 16);
    const body = form(part(fileHeaders('image', 'image/jpeg'), jpeg));
    const framing = body.length - jpeg.length;
    const positions = [...Array(framing).keys()].map((i) => (i < 100 ? i : body.length - (framing - i)));
    for (const at of positions) {
      for (const byte of [0x00, 0x0a, 0x0d, 0x2d, 0x22, 0xff]) {
        const mutated = Buffer.from(body);
        mutated[at] = byte;
        expect(await outcome(mutated)).toMatch(/^(ok \d+|4\d\d [A-Z_]+)$/);
      }
    }
  });

  it('reads the first "image" part and drains later ones', async () => {
    const body = form(
      part(fileHeaders('image', 'image/jpeg'), 'first'),
      part(fileHeaders('image', 'image/jpeg'), 'second!'),
    );
    expect(await outcome(body)).toBe('ok 5');
  });

  it('holds a multipart image to exactly MAX_IMAGE_BYTES', async () => {
    const at = (size: number) => outcome(form(part(fileHeaders('image'), Buffer.alloc(size, 1))));
    expect(await at(MAX)).toBe(`ok ${MAX}`);
    expect(await at(MAX + 1)).toBe('413 IMAGE_TOO_LARGE');
  });

  it('refuses a multipart type it cannot parse with 400 MALFORMED_MULTIPART', async () => {
    expect(await outcome(Buffer.from('x'), 'multipart/form-data; boundary=')).toBe('400 MALFORMED_MULTIPART');
    expect(await outcome(Buffer.from('x'), 'multipart/form-data')).toBe('400 MALFORMED_MULTIPART');
  });
});
