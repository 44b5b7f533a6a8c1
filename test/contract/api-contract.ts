import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../shared/http/security-headers.js';
import { jpegClaimingSize, makeJpeg, makePng } from '../support/images.js';
import { MINIMAL_SAVE } from '../support/save-body.js';
import { hostileContract } from './hostile-contract.js';

export interface TargetResponse {
  status: number;
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: a response body as the client parsed it; each test asserts its shape.
  body: any;
}

export interface ContractTarget {
  request(
    method: string,
    path: string,
    init?: { headers?: Record<string, string>; body?: Buffer | string },
  ): Promise<TargetResponse>;
  token(userId: string, options?: { expiresIn?: string; audience?: string }): Promise<string>;
  /** A token signed by a key the API does not trust, and one with alg none. */
  forgedToken(userId: string): Promise<string>;
  /** MAX_IMAGE_BYTES the target was started with. */
  maxImageBytes: number;
}

const json = (token: string, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  authorization: `Bearer ${token}`,
  ...extra,
});

function multipart(field: string, filename: string, type: string, bytes: Buffer) {
  const boundary = '----pettracker-test-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body };
}

/** The HTTP behaviour every runtime must share, case for case. */
export function apiContract(getTarget: () => ContractTarget): void {
  let t: ContractTarget;
  let jpeg: Buffer;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    t = getTarget();
    jpeg = await makeJpeg(320, 240);
    alice = await t.token('alice');
    bob = await t.token('bob');
  });

  const predictJpeg = (bytes: Buffer, query = '') =>
    t.request('POST', `/predict${query}`, { headers: { 'content-type': 'image/jpeg' }, body: bytes });

  async function savedPrediction(token: string, extra: Record<string, string> = {}, breed = 'Beagle') {
    const predicted = await predictJpeg(jpeg);
    const body = {
      breed,
      confidence: 0.5,
      imageSha256: predicted.body.imageSha256,
      modelVersion: predicted.body.model.version,
      source: 'user-corrected',
    };
    return t.request('POST', '/predictions', { headers: json(token, extra), body: JSON.stringify(body) });
  }

  describe('probes', () => {
    it('answers liveness, readiness and the model description', async () => {
      expect((await t.request('GET', '/health')).body).toEqual({ status: 'ok' });
      expect((await t.request('GET', '/ready')).status).toBe(200);
      const model = await t.request('GET', '/model');
      expect(model.status).toBe(200);
      expect(model.body).toMatchObject({ untrained: true, labelsCount: 37, inputSize: expect.any(Array) });
      expect(['tensorflow', 'wasm', 'cpu']).toContain(model.body.backend);
    });
  });

  describe('POST /predict', () => {
    it('returns the top 3 breeds for a raw JPEG, then the same answer from the cache', async () => {
      const unique = await makeJpeg(300, 200, 80);
      const first = await predictJpeg(unique);
      expect(first.status).toBe(200);
      expect(first.body.predictions).toHaveLength(3);
      expect(first.body.cached).toBe(false);
      expect(first.body.imageSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(first.body.model).toMatchObject({ name: expect.any(String), untrained: true });
      const confidences = first.body.predictions.map((p: { confidence: number }) => p.confidence);
      expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
      const second = await predictJpeg(unique);
      expect(second.body).toEqual({ ...first.body, cached: true });
    });

    it('honours topK up to 10 and rejects 11 with 400', async () => {
      expect((await predictJpeg(jpeg, '?topK=10')).body.predictions).toHaveLength(10);
      const bad = await predictJpeg(jpeg, '?topK=11');
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    });

    it('accepts the image as multipart field "image", and PNG and WebP bodies', async () => {
      const viaForm = await t.request('POST', '/predict', multipart('image', 'cat.jpg', 'image/jpeg', jpeg));
      expect(viaForm.status).toBe(200);
      const png = await t.request('POST', '/predict', {
        headers: { 'content-type': 'image/png' },
        body: await makePng(),
      });
      expect(png.status).toBe(200);
      const webp = await sharp(jpeg).webp().toBuffer();
      expect(
        (await t.request('POST', '/predict', { headers: { 'content-type': 'image/webp' }, body: webp }))
          .status,
      ).toBe(200);
    });

    it.each([
      ['an empty body', 400, 'EMPTY_BODY', 'image/jpeg', () => Buffer.alloc(0)],
      ['text', 415, 'UNSUPPORTED_MEDIA_TYPE', 'text/plain', () => Buffer.from('not an image at all')],
      ['PNG bytes labelled image/jpeg', 415, 'CONTENT_TYPE_MISMATCH', 'image/jpeg', () => makePng()],
      [
        'a truncated JPEG',
        422,
        'CORRUPT_IMAGE',
        'image/jpeg',
        async () => (await makeJpeg(400, 300)).subarray(0, 3000),
      ],
      [
        'a header claiming 60 megapixels',
        422,
        'IMAGE_TOO_MANY_PIXELS',
        'image/jpeg',
        () => jpegClaimingSize(10000, 6000),
      ],
    ])('rejects %s with %i %s', async (_name, status, code, type, make) => {
      const res = await t.request('POST', '/predict', {
        headers: { 'content-type': type },
        body: await make(),
      });
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({
        code,
        message: expect.any(String),
        requestId: expect.any(String),
      });
    });

    it('rejects an image over MAX_IMAGE_BYTES with 413, raw or multipart', async () => {
      const big = Buffer.concat([jpeg, Buffer.alloc(t.maxImageBytes)]);
      const raw = await predictJpeg(big);
      expect(raw.status).toBe(413);
      expect(raw.body.error.code).toBe('IMAGE_TOO_LARGE');
      const form = await t.request('POST', '/predict', multipart('image', 'big.jpg', 'image/jpeg', big));
      expect(form.status).toBe(413);
      expect(form.body.error.message).toContain(` ${t.maxImageBytes} bytes`);
    });

    it('rejects a multipart body without an "image" field with 400', async () => {
      const res = await t.request('POST', '/predict', multipart('photo', 'x.jpg', 'image/jpeg', jpeg));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('EMPTY_BODY');
    });
  });

  describe('identity', () => {
    it.each([
      ['no token', async () => undefined],
      ['a forged token', async () => `Bearer ${await t.forgedToken('alice')}`],
      ['an expired token', async () => `Bearer ${await t.token('alice', { expiresIn: '-1m' })}`],
      [
        'a token for another audience',
        async () => `Bearer ${await t.token('alice', { audience: 'someone-else' })}`,
      ],
      ['a token with alg none', async () => `Bearer ${unsigned('alice')}`],
      // JWT_MAX_LIFETIME_SECONDS (a day by default): on Lambda the authorizer passes it, the function refuses it.
      ['a token that lives 100 years', async () => `Bearer ${await t.token('alice', { expiresIn: '100y' })}`],
      ['garbage', async () => 'Bearer not.a.jwt'],
    ])('answers 401 UNAUTHENTICATED to %s', async (_name, header) => {
      const value = await header();
      const res = await t.request('GET', '/predictions', { headers: value ? { authorization: value } : {} });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('history', () => {
    it('saves a prediction and lists it first', async () => {
      const saved = await savedPrediction(alice);
      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({ id: expect.any(String), breed: 'Beagle', source: 'user-corrected' });
      const list = await t.request('GET', '/predictions?limit=1', { headers: json(alice) });
      expect(list.body.items[0].id).toBe(saved.body.id);
    });

    it("saves a /predict answer's items as they are, species included; its Location answers the row", async () => {
      const predicted = await predictJpeg(await makeJpeg(240, 180, 70));
      const items = predicted.body.predictions;
      expect(items[0]).toHaveProperty('species');
      const [top] = items;
      const body = {
        breed: top.breed,
        confidence: top.confidence,
        imageSha256: predicted.body.imageSha256,
        modelVersion: predicted.body.model.version,
        source: 'model',
        topK: items,
      };
      const key = { 'idempotency-key': `items-${Date.now()}` };
      const saved = await t.request('POST', '/predictions', {
        headers: json(alice, key),
        body: JSON.stringify(body),
      });
      expect(saved.status).toBe(201);
      expect(saved.body.topK).toEqual(items);
      const location = saved.headers.location as string;
      expect(location).toBe(`/predictions/${saved.body.id}`);
      const got = await t.request('GET', location, { headers: json(alice) });
      expect(got.status).toBe(200);
      expect(got.body).toEqual(saved.body);
      // The same items again under the same key are the same request: a replay, not a conflict.
      const again = await t.request('POST', '/predictions', {
        headers: json(alice, key),
        body: JSON.stringify(body),
      });
      expect([again.status, again.headers['idempotent-replayed'], again.body.id]).toEqual([
        201,
        'true',
        saved.body.id,
      ]);
    });

    it.each([
      ['a cat breed called a dog', 'Bengal', 'dog'],
      ['a dog breed called a cat', 'Beagle', 'cat'],
      ['a breed called no species', 'Pug', null],
    ])('refuses %s in topK with 400 SPECIES_MISMATCH', async (_name, breed, species) => {
      const body = {
        breed,
        confidence: 0.6,
        imageSha256: 'b'.repeat(64),
        modelVersion: 'v1',
        source: 'model',
        topK: [{ breed, confidence: 0.6, species }],
      };
      const res = await t.request('POST', '/predictions', {
        headers: json(alice),
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('SPECIES_MISMATCH');
      expect(res.body.error.message).toContain(`"${breed}"`);
    });

    it.each([
      ['malformed JSON', '{"breed":', 'INVALID_JSON'],
      ['an unknown field', { extra: 1 }, 'VALIDATION_FAILED'],
      ['confidence above 1', { confidence: 1.5 }, 'VALIDATION_FAILED'],
      ['a breed the model does not know', { breed: 'Dragon' }, 'UNKNOWN_BREED'],
      [
        'a species that is no species',
        { topK: [{ breed: 'Pug', confidence: 0.9, species: 'fish' }] },
        'VALIDATION_FAILED',
      ],
      [
        'an unknown field in a topK item',
        { topK: [{ breed: 'Pug', confidence: 0.9, rank: 1 }] },
        'VALIDATION_FAILED',
      ],
      ['an empty body', '', 'EMPTY_BODY'],
    ])('rejects %s with 400', async (_name, change, code) => {
      const body = typeof change === 'string' ? change : JSON.stringify({ ...MINIMAL_SAVE, ...change });
      const res = await t.request('POST', '/predictions', { headers: json(alice), body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(code);
    });

    it('returns the first row for a retried Idempotency-Key, also for concurrent retries', async () => {
      const key = { 'idempotency-key': `retry-${Date.now()}` };
      const [a, b, c] = await Promise.all([
        savedPrediction(bob, key),
        savedPrediction(bob, key),
        savedPrediction(bob, key),
      ]);
      expect(new Set([a?.body.id, b?.body.id, c?.body.id]).size).toBe(1);
      const list = await t.request('GET', '/predictions?limit=100', { headers: json(bob) });
      expect(list.body.items.filter((p: { id: string }) => p.id === a?.body.id)).toHaveLength(1);
      const reused = await savedPrediction(bob, key, 'Pug');
      expect(reused.status).toBe(422);
      expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('pages newest first with a stable cursor and rejects a forged cursor', async () => {
      const user = await t.token(`pager-${Date.now()}`);
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.unshift((await savedPrediction(user)).body.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = await t.request('GET', `/predictions?limit=3${query}`, { headers: json(user) });
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((p: { id: string }) => p.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(ids);
      const bad = await t.request('GET', '/predictions?cursor=bm9wZQ', { headers: json(user) });
      expect(bad.status).toBe(400);
    });

    it("never shows or deletes another user's rows, answering 404", async () => {
      const saved = await savedPrediction(alice);
      const bobs = await t.request('GET', '/predictions?limit=100', { headers: json(bob) });
      expect(bobs.body.items.map((p: { id: string }) => p.id)).not.toContain(saved.body.id);
      const peeked = await t.request('GET', `/predictions/${saved.body.id}`, { headers: json(bob) });
      const unknown = await t.request('GET', `/predictions/${crypto.randomUUID()}`, { headers: json(bob) });
      // Someone else's row and no row at all answer alike: an id tells nothing about other users.
      expect([peeked.status, peeked.body.error.code]).toEqual([404, 'NOT_FOUND']);
      expect({ ...peeked.body.error, requestId: '' }).toEqual({ ...unknown.body.error, requestId: '' });
      expect((await t.request('GET', '/predictions/not-a-uuid', { headers: json(alice) })).status).toBe(404);
      expect((await t.request('GET', `/predictions/${saved.body.id}`)).status).toBe(401);
      const stolen = await t.request('DELETE', `/predictions/${saved.body.id}`, { headers: json(bob) });
      expect(stolen.status).toBe(404);
      expect(stolen.body.error.code).toBe('NOT_FOUND');
      const still = await t.request('GET', '/predictions?limit=100', { headers: json(alice) });
      expect(still.body.items.map((p: { id: string }) => p.id)).toContain(saved.body.id);
      expect(
        (await t.request('DELETE', `/predictions/${saved.body.id}`, { headers: json(alice) })).status,
      ).toBe(204);
      expect(
        (await t.request('DELETE', `/predictions/${saved.body.id}`, { headers: json(alice) })).status,
      ).toBe(404);
      expect((await t.request('GET', `/predictions/${saved.body.id}`, { headers: json(alice) })).status).toBe(
        404,
      );
      expect((await t.request('DELETE', '/predictions/not-a-uuid', { headers: json(alice) })).status).toBe(
        404,
      );
    });

    it('keeps serving and keeps stored rows after a burst of bad requests', async () => {
      const saved = await savedPrediction(alice);
      await Promise.all([
        t.request('POST', '/predict', { headers: { 'content-type': 'image/jpeg' }, body: Buffer.from('xx') }),
        t.request('POST', '/predictions', { headers: json(alice), body: '{' }),
        t.request('DELETE', `/predictions/${saved.body.id}`, { headers: json(bob) }),
      ]);
      const list = await t.request('GET', '/predictions?limit=100', { headers: json(alice) });
      expect(list.body.items.map((p: { id: string }) => p.id)).toContain(saved.body.id);
      expect((await t.request('GET', '/health')).status).toBe(200);
    });
  });

  describe('routing', () => {
    it('answers 404 for an unknown route and 405 for a wrong method, as JSON errors', async () => {
      const missing = await t.request('GET', '/nope');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('NOT_FOUND');
      const wrong = await t.request('PUT', '/predict');
      expect(wrong.status).toBe(405);
      expect(wrong.headers.allow).toBe('POST');
    });
  });

  describe('security headers', () => {
    // One definition (shared/http/security-headers.ts), so every runtime sends exactly these.
    it.each([
      ['a success', 'GET', '/health', {}, 200],
      ['a validation error', 'POST', '/predict', { 'content-type': 'text/plain' }, 415],
      ['a 404', 'GET', '/nope', {}, 404],
      ['a CORS preflight', 'OPTIONS', '/predict', { 'access-control-request-method': 'POST' }, 204],
    ] as const)('on %s', async (_kind, method, path, headers, status) => {
      const res = await t.request(method, path, { headers, ...(method === 'POST' ? { body: 'x' } : {}) });
      expect(res.status).toBe(status);
      expect(res.headers).toMatchObject(SECURITY_HEADERS);
    });

    it('on a 413', async () => {
      const res = await predictJpeg(Buffer.concat([jpeg, Buffer.alloc(t.maxImageBytes)]));
      expect(res.status).toBe(413);
      expect(res.headers).toMatchObject(SECURITY_HEADERS);
    });
  });

  describe('hostile input and protocol manners', () => {
    hostileContract(() => t);
  });
}

function unsigned(sub: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub, iss: 'pettracker-dev', aud: 'pettracker', exp: now + 600 })}.`;
}
