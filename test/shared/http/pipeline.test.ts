import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryingStore } from '../../../shared/adapters/store/retrying-store.js';
import type { RequestReport } from '../../../shared/observability/request-line.js';
import type { PredictionStore } from '../../../shared/ports/prediction-store.js';
import { apiContract } from '../../contract/api-contract.js';
import { type PipelineTarget, startPipelineTarget } from '../../contract/pipeline-target.js';

/*
 * The pipeline of both runtimes, handed requests directly: the HTTP contract every runtime must keep,
 * without a socket. What needs one (Content-Length, chunked uploads, clients that leave) is tested on
 * the Express server (test/contract/express-api.integration.test.ts, test/eb-compat/).
 */

const MAX_IMAGE_BYTES = 300_000;
const reports: RequestReport[] = [];
let target: PipelineTarget;

beforeAll(async () => {
  target = await startPipelineTarget(
    { MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES) },
    { sink: (report) => reports.push(report) },
  );
});
afterAll(() => target?.close());

describe('the pipeline, without a socket', () => {
  apiContract(() => target);
});

describe('what a transport hands the pipeline', () => {
  it('echoes a sane X-Request-Id, takes the transport’s id otherwise, and makes one without either', async () => {
    const id = async (headers: Record<string, string>, transportId?: string) =>
      (await target.handle({ path: '/health', headers, transportId })).headers['x-request-id'];
    expect(await id({ 'x-request-id': 'abc-123' }, 'gw-1')).toBe('abc-123');
    expect(await id({ 'x-request-id': 'bad id with spaces' }, 'gw-1')).toBe('gw-1');
    expect(await id({})).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts the Bearer scheme in any case (RFC 9110)', async () => {
    const token = await target.token('erin');
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      const answer = await target.handle({
        path: '/predictions',
        headers: { authorization: `${scheme} ${token}` },
      });
      expect(answer.status, scheme).toBe(200);
    }
  });

  it('names the caller from claims the transport verified, which pass the token checks all the same', async () => {
    const exp = String(Math.floor(Date.now() / 1000) + 3600);
    const listed = await target.handle({ path: '/predictions', claims: { sub: 'gateway-user', exp } });
    expect(listed.status).toBe(200);
    const tooLong = await target.handle({ path: '/predictions', claims: { sub: 'x', exp: '4102444800' } });
    expect(tooLong.status).toBe(401);
  });

  it('reports every request once, with the transport’s ids on its line', async () => {
    reports.length = 0;
    await target.handle({ path: '/health', properties: { awsRequestId: 'aws-1' } });
    await target.handle({ path: '/nope' });
    expect(reports.map((r) => [r.operation, r.status, r.properties])).toEqual([
      ['health', 200, { awsRequestId: 'aws-1' }],
      ['notFound', 404, undefined],
    ]);
  });
});

describe('a request’s deadline', () => {
  const hanging = { ping: () => new Promise<never>(() => undefined) } as unknown as PredictionStore;
  const dueIn = (ms: number) => Date.now() + 500 + ms;

  it('ends a store call still waiting with 503 STORE_UNAVAILABLE before the transport gives up', async () => {
    const store = new RetryingStore(hanging, { logger: target.core.logger });
    const { status, body } = await withStore(store, () =>
      target.handle({ path: '/ready', deadline: dueIn(50) }),
    );
    expect(status).toBe(503);
    expect(JSON.parse(String(body))).toMatchObject({ error: { code: 'STORE_UNAVAILABLE' } });
  });

  it('answers 500 for work that does not stop by itself, and the late work’s records fall on no line', async () => {
    reports.length = 0;
    const { status } = await withStore(hanging, () => target.handle({ path: '/ready', deadline: dueIn(50) }));
    expect(status).toBe(500);
    expect(reports.map((r) => [r.operation, r.status])).toEqual([['ready', 500]]);
  });

  async function withStore<T>(store: PredictionStore, work: () => Promise<T>): Promise<T> {
    const own = target.core.store;
    target.core.store = store;
    try {
      return await work();
    } finally {
      target.core.store = own;
    }
  }
});
