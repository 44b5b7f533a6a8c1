import { beforeAll, describe, expect, it } from 'vitest';
import { fileHeaders, form, jpegOfSize, MULTIPART, part } from '../support/hostile-bodies.js';
import { makeJpeg, makePng } from '../support/images.js';
import { MINIMAL_SAVE } from '../support/save-body.js';
import type { ContractTarget, TargetResponse } from './api-contract.js';

/** An error answer in the API's own shape: JSON, a stable code, the request id in body and header. */
function expectApiError(res: TargetResponse, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+:\d+:\d+|node_modules|<html/i);
}

/**
 * Hostile and unusual requests every runtime must survive and answer alike: broken multipart
 * framings, size edges, malformed paths, protocol manners (405 Allow, 401 WWW-Authenticate, 415).
 * After each hostile case the target must still answer GET /health: a crash would show there.
 */
export function hostileContract(getTarget: () => ContractTarget): void {
  let t: ContractTarget;
  let jpeg: Buffer;
  let alice: string;
  beforeAll(async () => {
    t = getTarget();
    jpeg = await makeJpeg(64, 48);
    alice = await t.token('hostile-alice');
  });

  const predictForm = (body: Buffer, type = MULTIPART) =>
    t.request('POST', '/predict', { headers: { 'content-type': type }, body });
  const expectAlive = async () => expect((await t.request('GET', '/health')).status).toBe(200);

  describe('broken multipart bodies answer 400 and the service stays up', () => {
    const imagePart = fileHeaders('image', 'image/jpeg');
    it.each<[string, () => Buffer]>([
      // The ~150 bytes that ended the whole Express process (busboy's unheard part-stream error).
      ['an unterminated image part', () => part(imagePart, 'abc')],
      ['an unterminated part of another file field', () => part(fileHeaders('other', 'text/plain'), 'abc')],
      [
        'an unterminated plain field',
        () => part(['Content-Disposition: form-data; name="note"'], 'half a note'),
      ],
      [
        'an unrelated file, then an unterminated image',
        () => Buffer.concat([part(fileHeaders('other'), 'x'), Buffer.from('\r\n'), part(imagePart, jpeg)]),
      ],
      [
        'a whole image part without the closing boundary',
        () => Buffer.concat([part(imagePart, jpeg), Buffer.from('\r\n--X')]),
      ],
      ['cut-short part headers', () => Buffer.from('--X\r\nContent-Disposition: form-da')],
      ['a body that ends before any boundary', () => Buffer.from('not multipart at all')],
      ['only the opening delimiter', () => Buffer.from('--X')],
    ])('%s: 400 MALFORMED_MULTIPART', async (_name, body) => {
      expectApiError(await predictForm(body()), 400, 'MALFORMED_MULTIPART');
      await expectAlive();
    });

    it('a multipart type without a boundary: 400 MALFORMED_MULTIPART', async () => {
      expectApiError(
        await predictForm(form(part(imagePart, jpeg)), 'multipart/form-data'),
        400,
        'MALFORMED_MULTIPART',
      );
      await expectAlive();
    });

    it('an empty multipart body: 400 EMPTY_BODY', async () => {
      expectApiError(await predictForm(Buffer.alloc(0)), 400, 'EMPTY_BODY');
      await expectAlive();
    });

    it('ten unterminated uploads at once leave the service answering', async () => {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => predictForm(part(imagePart, Buffer.alloc(2000, 0xff)))),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(400));
      await expectAlive();
    });
  });

  describe('multipart parts the API accepts', () => {
    it('an unrelated file part before "image" does not use up the file allowance', async () => {
      const body = form(
        part(fileHeaders('thumbnail', 'image/png', 't.png'), await makePng(8, 8)),
        part(fileHeaders('image', 'image/jpeg'), jpeg),
      );
      expect((await predictForm(body)).status).toBe(200);
    });

    it.each<[string, string | undefined]>([
      ['no Content-Type', undefined],
      ['application/octet-stream', 'application/octet-stream'],
      ['image/jpg', 'image/jpg'],
      ['IMAGE/JPEG; name=x', 'IMAGE/JPEG; name=x'],
    ])('an image part with %s is read by its magic bytes', async (_name, type) => {
      const res = await predictForm(form(part(fileHeaders('image', type), jpeg)));
      expect(res.status).toBe(200);
      expect(res.body.predictions.length).toBeGreaterThan(0);
    });

    it('an "image" part without filename or type (a plain field) keeps its bytes', async () => {
      const res = await predictForm(form(part(['Content-Disposition: form-data; name="image"'], jpeg)));
      expect(res.status).toBe(200);
      const raw = await t.request('POST', '/predict', {
        headers: { 'content-type': 'image/jpeg' },
        body: jpeg,
      });
      expect(res.body.imageSha256).toBe(raw.body.imageSha256);
    });

    it('a PNG part declared image/jpeg is still a mismatch: 415 CONTENT_TYPE_MISMATCH', async () => {
      const res = await predictForm(form(part(fileHeaders('image', 'image/jpeg'), await makePng(8, 8))));
      expectApiError(res, 415, 'CONTENT_TYPE_MISMATCH');
    });

    it('a raw body declared image/jpg is taken as JPEG', async () => {
      const res = await t.request('POST', '/predict', {
        headers: { 'content-type': 'image/jpg' },
        body: jpeg,
      });
      expect(res.status).toBe(200);
    });
  });

  describe('MAX_IMAGE_BYTES is the same limit raw and multipart, to the byte', () => {
    it('accepts an image of exactly MAX_IMAGE_BYTES both ways', async () => {
      const exact = jpegOfSize(jpeg, t.maxImageBytes);
      expect(exact.length).toBe(t.maxImageBytes);
      const raw = await t.request('POST', '/predict', {
        headers: { 'content-type': 'image/jpeg' },
        body: exact,
      });
      const multi = await predictForm(form(part(fileHeaders('image', 'image/jpeg'), exact)));
      expect([raw.status, multi.status]).toEqual([200, 200]);
      expect(multi.body.imageSha256).toBe(raw.body.imageSha256);
    });

    it('refuses one byte more both ways with 413 IMAGE_TOO_LARGE quoting MAX_IMAGE_BYTES', async () => {
      const over = jpegOfSize(jpeg, t.maxImageBytes + 1);
      const raw = await t.request('POST', '/predict', {
        headers: { 'content-type': 'image/jpeg' },
        body: over,
      });
      const multi = await predictForm(form(part(fileHeaders('image', 'image/jpeg'), over)));
      for (const res of [raw, multi]) {
        expectApiError(res, 413, 'IMAGE_TOO_LARGE');
        expect(res.body.error.message).toContain(` ${t.maxImageBytes} bytes`);
      }
      await expectAlive();
    });

    it('quotes MAX_IMAGE_BYTES, not the transport allowance, for a body far over it', async () => {
      const res = await t.request('POST', '/predict', {
        headers: { 'content-type': 'image/jpeg' },
        body: Buffer.alloc(t.maxImageBytes + 100_000, 0xff),
      });
      expectApiError(res, 413, 'IMAGE_TOO_LARGE');
      expect(res.body.error.message).toContain(` ${t.maxImageBytes} bytes`);
    });
  });

  describe('malformed paths get the JSON error body, never an HTML page', () => {
    it.each([
      ['DELETE', '/predictions/%E0%A4%A'],
      ['GET', '/predictions/%E0%A4%A'],
      ['GET', '/predictions/%'],
      ['POST', '/predict%zz'],
      ['GET', '/no/such/%E0'],
    ])('%s %s: 400 MALFORMED_URL', async (method, path) => {
      const res = await t.request(method, path, { headers: { authorization: `Bearer ${alice}` } });
      expectApiError(res, 400, 'MALFORMED_URL');
      await expectAlive();
    });
  });

  describe('protocol manners', () => {
    it.each([
      ['PUT', '/predict', 'POST'],
      ['PATCH', '/predictions', 'GET, POST'],
      ['PUT', '/predictions/8a3f1c2e-0000-4000-8000-000000000000', 'DELETE, GET'],
      ['POST', '/health', 'GET'],
    ])('%s %s: 405 with Allow: %s', async (method, path, allow) => {
      const res = await t.request(method, path);
      expectApiError(res, 405, 'METHOD_NOT_ALLOWED');
      expect(res.headers.allow).toBe(allow);
    });

    // On Lambda these 401s come from API Gateway's JWT authorizer (simulated), hence no stricter check of
    // the body here; lambda-api.integration.test.ts checks the functions' own 401 when a token reaches them unverified.
    it('a 401 without a token challenges with plain Bearer (RFC 6750)', async () => {
      const res = await t.request('GET', '/predictions');
      expect([res.status, res.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('a 401 for a refused token says error="invalid_token"', async () => {
      const expired = await t.token('hostile-alice', { expiresIn: '-1m' });
      for (const token of [expired, await t.forgedToken('hostile-alice'), 'not.a.jwt']) {
        const res = await t.request('GET', '/predictions', { headers: { authorization: `Bearer ${token}` } });
        expect([res.status, res.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer\b.*\berror="invalid_token"/);
      }
    });

    it('a save nested 30000 arrays deep: 400, and the service stays up', async () => {
      const deep = `{"breed":${'['.repeat(30_000)}${']'.repeat(30_000)}}`;
      const res = await t.request('POST', '/predictions', {
        headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
        body: deep,
      });
      expectApiError(res, 400, 'VALIDATION_FAILED');
      await expectAlive();
    });

    it('a save that is not application/json: 415 UNSUPPORTED_MEDIA_TYPE, nothing stored', async () => {
      const user = await t.token(`hostile-415-${Date.now()}`);
      const body = JSON.stringify(MINIMAL_SAVE);
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']) {
        const res = await t.request('POST', '/predictions', {
          headers: { authorization: `Bearer ${user}`, 'content-type': type },
          body,
        });
        expectApiError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
      const list = await t.request('GET', '/predictions', { headers: { authorization: `Bearer ${user}` } });
      expect(list.body.items).toEqual([]);
      const withCharset = await t.request('POST', '/predictions', {
        headers: { authorization: `Bearer ${user}`, 'content-type': 'Application/JSON; charset=utf-8' },
        body,
      });
      expect(withCharset.status).toBe(201);
    });
  });
}
