import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/observability/logger.js';
import { makeJpeg } from '../support/images.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The Express runtime wired as in production (pino at debug, metrics on the request lines), output captured. */
describe('request logs', () => {
  let output = '';
  let app: TestApp;
  let image: Buffer;
  let token: string;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        output += chunk;
        done();
      },
    });
    const logger = createLogger('debug', sink);
    app = await startTestApp({}, { logger });
    image = await makeJpeg(400, 300);
    token = await app.token('log-user');

    const predicted = await fetch(`${app.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', 'x-request-id': 'log-test-1' },
      body: image,
    }).then((r) => r.json() as Promise<{ imageSha256: string; model: { version: string } }>);
    const form = new FormData();
    form.append('image', new Blob([image], { type: 'image/jpeg' }), 'pet.jpg');
    await fetch(`${app.url}/predict?topK=2`, { method: 'POST', body: form });
    const model = (await fetch(`${app.url}/model`).then((r) => r.json())) as { labels: string[] };
    const labels = model.labels;
    const save = (authorization: string) =>
      fetch(`${app.url}/predictions`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json', 'idempotency-key': 'log-key' },
        body: JSON.stringify({
          breed: labels[0],
          confidence: 0.5,
          imageSha256: predicted.imageSha256,
          modelVersion: predicted.model.version,
          source: 'model',
        }),
      });
    expect((await save(`Bearer ${token}`)).status).toBe(201);
    // A token with a broken signature: refused, and its bytes still must not reach the log.
    expect((await save(`Bearer ${token.slice(0, -4)}AAAA`)).status).toBe(401);
    await fetch(`${app.url}/dev/token?user=log-user`);
    // Requests in flight together, hits of the seen image and misses of new ones: each line must
    // carry its own request's records and no other's.
    const fresh = await Promise.all([1, 2, 3].map((i) => makeJpeg(400 + i, 300)));
    const post = (id: string, body: Buffer) =>
      fetch(`${app.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg', 'x-request-id': id },
        body,
      }).then((r) => r.arrayBuffer());
    await Promise.all([
      ...fresh.map((body, i) => post(`mix-miss-${i}`, body)),
      ...[0, 1, 2].map((i) => post(`mix-hit-${i}`, image)),
    ]);
  });
  afterAll(() => app?.close());

  const lines = () => output.trim().split('\n');

  it('are one JSON object per line with request id, operation, status, duration and error code', () => {
    const parsed = lines().map((line) => JSON.parse(line));
    const requests = parsed.filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(5);
    for (const entry of requests) {
      expect(entry).toMatchObject({
        level: 'info',
        service: 'pettracker',
        requestId: expect.any(String),
        operation: expect.any(String),
        method: expect.any(String),
        status: expect.any(Number),
        durationMs: expect.any(Number),
      });
      expect(typeof entry.time).toBe('string');
    }
    // The request's metrics are fields of its one line: no separate metric lines.
    expect(requests.find((l) => l.requestId === 'log-test-1')).toMatchObject({
      operation: 'predict',
      status: 200,
      RequestMs: expect.any(Number),
      InferenceMs: expect.any(Number),
      CacheMiss: 1,
    });
    expect(requests.find((l) => l.status === 401)).toMatchObject({
      operation: 'savePrediction',
      code: 'UNAUTHENTICATED',
    });
    expect(requests.find((l) => l.status === 401)).toMatchObject({ ClientError: 1 });
    expect(requests.filter((l) => l.ColdStart === 1)).toHaveLength(1);
    expect(parsed.filter((l) => l.msg === 'metric')).toEqual([]);
    expect(new Set(requests.map((l) => l.requestId)).size).toBe(requests.length);
  });

  it('carry, for requests served together, each its own records', () => {
    const requests = lines()
      .map((line) => JSON.parse(line))
      .filter((l) => String(l.requestId).startsWith('mix-'));
    expect(requests).toHaveLength(6);
    for (const line of requests) {
      const recorded = Object.keys(line).filter((k) => /^(Cache|Inference)/.test(k));
      if (line.requestId.startsWith('mix-hit')) expect(recorded).toEqual(['CacheHit']);
      else expect(recorded.sort()).toEqual(['CacheMiss', 'InferenceMs']);
      expect(line.CacheHit ?? line.CacheMiss).toBe(1);
    }
  });

  it('never contain the image bytes, in any encoding', () => {
    const all = output;
    expect(all).not.toContain(image.toString('base64'));
    // A slice starting on a 3-byte boundary appears verbatim inside any base64 of the whole image.
    expect(all).not.toContain(image.subarray(3000, 3300).toString('base64'));
    expect(all).not.toContain(image.subarray(3000, 3100).toString('hex'));
    expect(all).not.toContain(JSON.stringify(image.subarray(3000, 3040).toString('latin1')).slice(1, -1));
    expect(all).not.toContain('"type":"Buffer"');
    for (const line of lines()) expect(line.length).toBeLessThan(4096);
  });

  it('never contain a bearer token or a part of one', () => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(output).not.toContain(token);
    expect(output).not.toContain(`${header}.${payload}`);
    expect(output).not.toContain(signature);
    expect(output).not.toContain(signature.slice(0, -4));
    expect(output).not.toMatch(/eyJ[\w-]{10,}\.eyJ/);
  });
});
