import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger } from '../../support/capturing-logger.js';
import { makeJpeg } from '../../support/images.js';
import { rawRedis } from '../../support/raw-redis.js';
import { REDIS_TEST_URL, redisAvailable, uniquePrefix } from '../../support/services.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { startTestUpstash, type TestUpstash } from '../../support/upstash.js';

const available = await redisAvailable();

/** The entries predict must never serve: not JSON, not the shape it writes, or well-formed but hostile. */
const entry = (overrides: Record<string, unknown>, score: Record<string, unknown> = {}) =>
  JSON.stringify({
    scores: Array.from({ length: 10 }, (_, i) => ({ label: 'Beagle', confidence: 0.1 - i * 0.01, ...score })),
    species: 'dog',
    unsure: false,
    ...overrides,
  });
const BAD_ENTRIES: Record<string, string> = {
  'not JSON': '{"scores": [',
  'JSON null': 'null',
  'a bare score list': '[{"label":"Beagle","confidence":0.9}]',
  'scores that are not a list': '{"scores":"Beagle","species":"dog","unsure":false}',
  'no scores': '{"scores":[],"species":"dog","unsure":false}',
  'a confidence of 7': entry({}, { confidence: 7 }),
  // JSON.parse reads 1e999 as Infinity.
  'an infinite confidence': entry({}, { confidence: 'inf' }).replaceAll('"inf"', '1e999'),
  'a <script> breed': entry({}, { label: '<script>alert(1)</script>' }),
  'a breed this model does not have': entry({}, { label: 'Norwegian Forest Cat' }),
  'the species "dragon"': entry({ species: 'dragon' }),
  'a score species "dragon"': entry({}, { species: 'dragon' }),
  'a pet gate with a score of 2': entry({ pet: { score: 2, isPet: true } }),
  'scores worst first': entry({
    scores: Array.from({ length: 10 }, (_, i) => ({ label: 'Beagle', confidence: i * 0.01 })),
  }),
  'fewer scores than are written': entry({ scores: [{ label: 'Beagle', confidence: 0.9 }] }),
  'a megabyte of JSON': entry({ padding: 'x'.repeat(1024 * 1024) }),
};

async function postImage(app: TestApp, image: Buffer) {
  const response = await fetch(`${app.url}/predict?topK=10`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg' },
    body: image,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** One image per case: the in-process tier must not already hold the answer a case plants over. */
const images = await Promise.all(Object.keys(BAD_ENTRIES).map((_, i) => makeJpeg(48 + i, 40)));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(!available)('a cached entry predict did not write is a miss, on the shared caches', () => {
  // The model's real answers, from an app whose cache nobody else writes.
  let reference: TestApp;
  const expected: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    reference = await startTestApp();
    for (const image of images) expected.push((await postImage(reference, image)).body);
  });
  afterAll(() => reference?.close());

  const cases = [
    { name: 'Redis', start: async (): Promise<Record<string, string>> => ({ REDIS_URL: REDIS_TEST_URL }) },
    {
      name: 'Upstash (REST emulator)',
      start: async (): Promise<Record<string, string>> => {
        upstash = await startTestUpstash();
        return { UPSTASH_REDIS_REST_URL: upstash.url, UPSTASH_REDIS_REST_TOKEN: upstash.token };
      },
    },
  ];
  let upstash: TestUpstash | undefined;

  describe.each(cases)('$name', ({ name, start }) => {
    const keyPrefix = uniquePrefix(`cached-classification-${name.split(' ')[0]}`);
    const raw = rawRedis(keyPrefix);
    const { logger, warnings } = capturingLogger();
    let app: TestApp;
    beforeAll(async () => {
      // A generous bound: a slow call on a busy machine must not turn these hits into misses.
      app = await startTestApp(
        { ...(await start()), CACHE_KEY_PREFIX: keyPrefix, CACHE_TIMEOUT_MS: '5000' },
        { logger },
      );
    });
    afterAll(async () => {
      await app?.close();
      await upstash?.close();
      upstash = undefined;
    });

    it.each(Object.entries(BAD_ENTRIES).map(([label, value], index) => ({ label, value, index })))(
      'answers 200 with the model’s answer, uncached, for $label, and overwrites the entry',
      async ({ value, index }) => {
        const image = images[index] as Buffer;
        const want = expected[index] as { model: { version: string } };
        const version = want.model.version;
        const key = `predict:${version}:${sha256(image)}`;
        await raw().set(keyPrefix + key, value, 'EX', 600);

        const first = await postImage(app, image);
        expect(first.status).toBe(200);
        expect(first.body).toEqual({ ...want, cached: false });

        // Overwritten in the shared cache and in the process's tier: the next request is a hit.
        await app.runtime.settle();
        expect(await raw().get(keyPrefix + key)).toBe(await reference.runtime.core.cache.get(key));
        const again = await postImage(app, image);
        expect(again.body).toEqual({ ...want, cached: true });
      },
    );

    it('warned once for all of them, not once per request', () => {
      const rejected = warnings.filter((w) => /cached prediction/.test(w.msg ?? ''));
      expect(rejected).toHaveLength(1);
    });
  });
});
