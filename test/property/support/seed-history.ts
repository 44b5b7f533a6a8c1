import type { CaseResponse, HttpCase } from './http-case.js';
import type { ImageCorpus } from './image-bodies.js';
import type { GeneratorContext } from './request-arbitraries.js';
import type { TokenPool } from './token-pool.js';

type Send = (c: HttpCase) => Promise<CaseResponse>;

const request = (
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): HttpCase => ({
  method,
  url,
  headers,
  ...(body ? { body } : {}),
  viaGateway: true,
  kind: 'seed',
});

async function json<T>(send: Send, c: HttpCase, status: number): Promise<T> {
  const res = await send(c);
  if (res.status !== status)
    throw new Error(`seeding: ${c.method} ${c.url} answered ${res.status} ${res.text}`);
  return JSON.parse(res.text) as T;
}

/**
 * A history for the generated requests to meet, made through the API itself: the model's labels and
 * version, a real image hash, rows for every valid user (their ids feed the deletes) and cursors the
 * API issued (real pagination among the forged cursors).
 */
export async function seedHistory(
  send: Send,
  tokens: TokenPool,
  corpus: ImageCorpus,
): Promise<GeneratorContext> {
  const model = await json<{ labels: string[]; version: string }>(send, request('GET', '/model'), 200);
  const image = corpus.images[0];
  if (!image) throw new Error('empty image corpus');
  const predicted = await json<{ imageSha256: string }>(
    send,
    request('POST', '/predict', { 'content-type': image.type }, image.bytes),
    200,
  );
  const knownIds: string[] = [];
  const issuedCursors: string[] = [];
  for (const token of tokens.valid) {
    const auth = { authorization: `Bearer ${token}` };
    for (const [i, breed] of model.labels.slice(0, 4).entries()) {
      const body = {
        breed,
        confidence: 0.5,
        imageSha256: predicted.imageSha256,
        modelVersion: model.version,
        source: 'model',
        topK: [{ breed, confidence: 0.5 }],
      };
      const saved = await json<{ id: string }>(
        send,
        request(
          'POST',
          '/predictions',
          { ...auth, 'content-type': 'application/json', 'idempotency-key': `k-${i}` },
          Buffer.from(JSON.stringify(body)),
        ),
        201,
      );
      knownIds.push(saved.id);
    }
    for (const limit of [1, 2]) {
      const page = await json<{ nextCursor: string | null }>(
        send,
        request('GET', `/predictions?limit=${limit}`, auth),
        200,
      );
      if (page.nextCursor) issuedCursors.push(page.nextCursor);
    }
  }
  return {
    tokens,
    corpus,
    save: { labels: model.labels, modelVersion: model.version, imageSha256: predicted.imageSha256 },
    knownIds,
    issuedCursors,
    malformedEscapes: false,
  };
}
