import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../support/services.js';
import { type ExpressOnStore, startExpressOn } from './support/pg-express.js';

const pgUp = await postgresAvailable();

const cursorOf = (createdAt: string, id = randomUUID()) =>
  Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

const saveBody = (overrides: Record<string, unknown> = {}) => ({
  breed: 'Beagle',
  confidence: 0.5,
  imageSha256: 'ab'.repeat(32),
  modelVersion: 'placeholder-1',
  source: 'model',
  ...overrides,
});

/**
 * Client-controlled values PostgreSQL refuses (NUL in text, impossible timestamps, ...), which would
 * come back as 500s if they reached it. Each is answered before any statement runs, with a 4xx and a
 * stable code, on the real PostgreSQL and on PGlite.
 */
for (const store of ['pg', 'pglite'] as const) {
  describe.skipIf(store === 'pg' && !pgUp)(`client values PostgreSQL refuses (Express on ${store})`, () => {
    let target: ExpressOnStore;
    let alice: string;
    beforeAll(async () => {
      target = await startExpressOn(store);
      alice = await target.tokens.valid(`alice-${randomUUID()}`);
    });
    afterAll(async () => {
      await target?.close();
    });

    const call = async (method: string, path: string, token: string | undefined, body?: unknown) => {
      const headers: Record<string, string> = {};
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${target.app.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    };

    it.each([
      ['February 30th', '2026-02-30T10:00:00.000000Z'],
      ['month 13', '2026-13-01T10:00:00.000000Z'],
      ['month 00', '2026-00-10T10:00:00.000000Z'],
      ['hour 25', '2026-01-01T25:00:00.000000Z'],
      ['minute 61', '2026-01-01T10:61:00.000000Z'],
      ['year 0000', '0000-01-01T00:00:00.000000Z'],
      ['April 31st', '2026-04-31T00:00:00Z'],
      ['February 29th of a common year', '2025-02-29T00:00:00Z'],
    ])('a cursor with %s answers 400 VALIDATION_FAILED', async (_, createdAt) => {
      const res = await call('GET', `/predictions?cursor=${cursorOf(createdAt)}`, alice);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    });

    it('a cursor on February 29th of a leap year is a real date and pages normally', async () => {
      const res = await call('GET', `/predictions?cursor=${cursorOf('2024-02-29T23:59:59.999999Z')}`, alice);
      expect(res.status).toBe(200);
    });

    it.each([
      ['a NUL in modelVersion', { modelVersion: 'v\u00001' }],
      ['a lone high surrogate in modelVersion', { modelVersion: 'v\ud800' }],
      ['a lone low surrogate in modelVersion', { modelVersion: '\udc00v' }],
      ['a NUL in breed', { breed: 'Beagle\u0000' }],
      ['a NUL in a topK breed', { topK: [{ breed: 'Beag\u0000le', confidence: 0.5 }] }],
    ])('a save with %s answers 400 and stores nothing', async (_, overrides) => {
      const user = `nul-${randomUUID()}`;
      const token = await target.tokens.valid(user);
      const res = await call('POST', '/predictions', token, saveBody(overrides));
      expect(res.status).toBe(400);
      expect(['VALIDATION_FAILED', 'UNKNOWN_BREED']).toContain(res.body.error.code);
      expect((await call('GET', '/predictions', token)).body.items).toEqual([]);
    });

    it('a save whose modelVersion has a surrogate pair (an emoji) is stored exactly and replays', async () => {
      const token = await target.tokens.valid(`emoji-${randomUUID()}`);
      const body = saveBody({ modelVersion: 'v🐶1' });
      const headers = { 'idempotency-key': randomUUID() };
      const send = () =>
        fetch(`${target.app.url}/predictions`, {
          method: 'POST',
          headers: { ...headers, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const first = await send();
      expect(first.status).toBe(201);
      expect(((await first.json()) as { modelVersion: string }).modelVersion).toBe('v🐶1');
      const again = await send();
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    });

    it.each([
      ['a NUL', 'bob\u0000'],
      ['a lone surrogate', 'bob\ud800'],
      ['an empty string', ''],
      ['only spaces', '   '],
      ['only whitespace of several kinds', '\t\n\u00a0\u2003'],
      ['256 characters', 'x'.repeat(256)],
    ])('a token whose sub has %s answers 401 on every signed-in route', async (_, sub) => {
      const token = await target.tokens.valid(sub);
      for (const [method, path, body] of [
        ['POST', '/predictions', saveBody()],
        ['GET', '/predictions', undefined],
        ['DELETE', `/predictions/${randomUUID()}`, undefined],
      ] as const) {
        const res = await call(method, path, token, body);
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body.error.code).toBe('UNAUTHENTICATED');
      }
    });

    it('a token with a numeric sub answers 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = await target.tokens.signed({
        sub: 42 as unknown as string,
        iss: 'pettracker-dev',
        aud: 'pettracker',
        exp: now + 600,
      });
      expect((await call('GET', '/predictions', token)).status).toBe(401);
    });

    it('a token without exp answers 401, though its signature, issuer and audience are good', async () => {
      const token = await target.tokens.signed({
        sub: 'no-exp-user',
        iss: 'pettracker-dev',
        aud: 'pettracker',
        iat: Math.floor(Date.now() / 1000),
      });
      const res = await call('GET', '/predictions', token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('a sub of 255 characters is accepted', async () => {
      const token = await target.tokens.valid('y'.repeat(255));
      expect((await call('GET', '/predictions', token)).status).toBe(200);
    });

    describe('Idempotency-Key', () => {
      const save = (token: string, key: string, body: unknown) =>
        fetch(`${target.app.url}/predictions`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
      const topK = [
        { breed: 'Beagle', confidence: 0.5 },
        { breed: 'Boxer', confidence: 0.3 },
      ];

      it.each([
        ['a different topK list', { topK: [{ breed: 'Pug', confidence: 0.3 }, topK[0]] }],
        ['a topK confidence changed', { topK: [topK[0], { breed: 'Boxer', confidence: 0.31 }] }],
        ['topK reordered', { topK: [topK[1], topK[0]] }],
        ['topK dropped', { topK: undefined }],
        ['an empty topK', { topK: [] }],
        ['a different breed', { breed: 'Boxer' }],
        ['a different confidence', { confidence: 0.51 }],
        ['a different source', { source: 'user-corrected' }],
      ])('reused with %s answers 422 IDEMPOTENCY_KEY_REUSED and stores nothing', async (_, change) => {
        const token = await target.tokens.valid(`idem-${randomUUID()}`);
        const key = randomUUID();
        const first = await save(token, key, saveBody({ topK }));
        expect(first.status).toBe(201);
        const second = await save(token, key, saveBody({ topK, ...change }));
        expect(second.status).toBe(422);
        expect(((await second.json()) as { error: { code: string } }).error.code).toBe(
          'IDEMPOTENCY_KEY_REUSED',
        );
        const listed = await call('GET', '/predictions', token);
        expect(listed.body.items).toHaveLength(1);
      });

      it('an identical retry replays, also with its keys in another order and other spacing', async () => {
        const token = await target.tokens.valid(`idem-${randomUUID()}`);
        const key = randomUUID();
        const body = saveBody({ topK });
        const first = await save(token, key, body);
        expect(first.status).toBe(201);
        const created = await first.json();
        const reordered = `{ "topK": ${JSON.stringify(topK)}, ${JSON.stringify(body)
          .slice(1, -1)
          .replace(/,"topK".*$/, '')} }`;
        for (const retry of [body, reordered]) {
          const res = await save(token, key, retry);
          expect(res.status).toBe(201);
          expect(res.headers.get('idempotent-replayed')).toBe('true');
          expect(await res.json()).toEqual(created);
        }
      });

      it('an identical retry without topK replays', async () => {
        const token = await target.tokens.valid(`idem-${randomUUID()}`);
        const key = randomUUID();
        expect((await save(token, key, saveBody())).status).toBe(201);
        const again = await save(token, key, saveBody());
        expect(again.status).toBe(201);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
      });

      it('an identical retry replays after the model changed its labels; a new save with the old breed is 400', async () => {
        const token = await target.tokens.valid(`idem-${randomUUID()}`);
        const key = randomUUID();
        const body = saveBody({ topK });
        const first = await save(token, key, body);
        expect(first.status).toBe(201);
        const slot = target.app.runtime.core.model;
        const model = slot.get();
        // A new model without the breeds the first save used (a deploy between a save and its retry).
        slot.set({ ...model, info: { ...model.info, labels: ['Pug'] } } as typeof model);
        try {
          const retry = await save(token, key, body);
          expect(retry.status).toBe(201);
          expect(retry.headers.get('idempotent-replayed')).toBe('true');
          const changed = await save(token, key, saveBody({ topK, confidence: 0.9 }));
          expect(changed.status).toBe(422);
          const fresh = await save(token, randomUUID(), body);
          expect(fresh.status).toBe(400);
          expect(((await fresh.json()) as { error: { code: string } }).error.code).toBe('UNKNOWN_BREED');
        } finally {
          slot.set(model);
        }
      });

      it('a save without a key is never reported as a replay', async () => {
        const token = await target.tokens.valid(`idem-${randomUUID()}`);
        const res = await call('POST', '/predictions', token, saveBody());
        expect(res.status).toBe(201);
        expect(res.headers.get('idempotent-replayed')).toBe('false');
      });
    });
  });
}
