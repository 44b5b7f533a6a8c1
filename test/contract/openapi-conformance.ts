import { beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../shared/http/openapi.js';
import { makeJpeg } from '../support/images.js';
import { responseChecker } from '../support/response-checker.js';
import type { ContractTarget, TargetResponse } from './api-contract.js';

type Case = [
  label: string,
  method: string,
  path: string,
  status: number,
  send: () => Promise<TargetResponse>,
];

/**
 * Every operation's success answer and each error status a client can provoke, sent to a running
 * runtime and checked against the generated OpenAPI document. Runtime-neutral: the Express runtime
 * and the Lambda functions (source and zips) run it, each through its own ContractTarget. `except`
 * names cases (by label) whose answer the runtime under test does not write; the caller says why.
 * `gatewayAnswers` names cases API Gateway answers itself on that runtime (its JWT authorizer's 401):
 * their status, headers and body are still checked against the document, which describes that body,
 * but not the runtime's own X-Request-Id.
 */
export function openApiConformance(
  getTarget: () => ContractTarget,
  options: { except?: readonly string[]; gatewayAnswers?: readonly string[] } = {},
): void {
  const doc = buildOpenApiDocument();
  const check = responseChecker(doc);
  let t: ContractTarget;
  let jpeg: Buffer;
  let alice: string;
  let saveBody: Record<string, unknown>;
  const saved: string[] = [];

  const auth = (token: string, extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    ...extra,
  });
  const predict = (body: Buffer | string, type = 'image/jpeg', query = '') =>
    t.request('POST', `/predict${query}`, { headers: { 'content-type': type }, body });
  const save = (body: unknown, headers: Record<string, string> = auth(alice)) =>
    t.request('POST', '/predictions', {
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    t = getTarget();
    jpeg = await makeJpeg(200, 150);
    alice = await t.token('conformance-alice');
    const predicted = await predict(jpeg);
    const labels: string[] = (await t.request('GET', '/model')).body.labels;
    saveBody = {
      breed: labels[0],
      confidence: 0.5,
      imageSha256: predicted.body.imageSha256,
      modelVersion: predicted.body.model.version,
      source: 'model',
    };
    saved.push((await save(saveBody)).body.id);
  });

  const boundary = 'conformance-boundary';
  const multipart = () =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="p.jpg"\r\n`),
      Buffer.from('Content-Type: image/jpeg\r\n\r\n'),
      jpeg,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);

  const cases: Case[] = [
    ['liveness', 'GET', '/health', 200, () => t.request('GET', '/health')],
    ['readiness', 'GET', '/ready', 200, () => t.request('GET', '/ready')],
    ['model description', 'GET', '/model', 200, () => t.request('GET', '/model')],
    ['raw JPEG', 'POST', '/predict', 200, () => predict(jpeg)],
    [
      'multipart',
      'POST',
      '/predict',
      200,
      () => predict(multipart(), `multipart/form-data; boundary=${boundary}`),
    ],
    ['not an image', 'POST', '/predict', 415, () => predict('hello', 'text/plain')],
    ['topK out of range', 'POST', '/predict', 400, () => predict(jpeg, 'image/jpeg', '?topK=99')],
    ['empty body', 'POST', '/predict', 400, () => predict(Buffer.alloc(0))],
    ['truncated JPEG', 'POST', '/predict', 422, () => predict(jpeg.subarray(0, 300))],
    ['oversize image', 'POST', '/predict', 413, () => predict(Buffer.alloc(t.maxImageBytes + 70_000, 0xff))],
    ['save', 'POST', '/predictions', 201, () => save({ ...saveBody, confidence: 0.25 })],
    [
      'save without a token',
      'POST',
      '/predictions',
      401,
      () => save(saveBody, { 'content-type': 'application/json' }),
    ],
    ['save of broken JSON', 'POST', '/predictions', 400, () => save('{"breed":')],
    ['save of an unknown breed', 'POST', '/predictions', 400, () => save({ ...saveBody, breed: 'Unicorn' })],
    [
      'save of a wrong species',
      'POST',
      '/predictions',
      400,
      () => save({ ...saveBody, topK: [{ breed: saveBody.breed, confidence: 0.5, species: null }] }),
    ],
    [
      'save over the JSON limit',
      'POST',
      '/predictions',
      413,
      () => save({ ...saveBody, pad: 'x'.repeat(70_000) }),
    ],
    ['list', 'GET', '/predictions', 200, () => t.request('GET', '/predictions', { headers: auth(alice) })],
    [
      'list with a bad limit',
      'GET',
      '/predictions',
      400,
      () => t.request('GET', '/predictions?limit=0', { headers: auth(alice) }),
    ],
    [
      'get',
      'GET',
      '/predictions/{id}',
      200,
      () => t.request('GET', `/predictions/${saved[0]}`, { headers: auth(alice) }),
    ],
    [
      'get of a missing row',
      'GET',
      '/predictions/{id}',
      404,
      () => t.request('GET', `/predictions/${crypto.randomUUID()}`, { headers: auth(alice) }),
    ],
    [
      'delete',
      'DELETE',
      '/predictions/{id}',
      204,
      () => t.request('DELETE', `/predictions/${saved[0]}`, { headers: auth(alice) }),
    ],
    [
      'delete of a missing row',
      'DELETE',
      '/predictions/{id}',
      404,
      () => t.request('DELETE', '/predictions/nope', { headers: auth(alice) }),
    ],
  ];

  describe('answers conform to the OpenAPI document', () => {
    const checked = cases.filter(([label]) => !options.except?.includes(label));
    it.each(checked)('%s: %s %s -> %i', async (label, method, path, status, send) => {
      const res = await send();
      expect(res.status).toBe(status);
      if (options.gatewayAnswers?.includes(label)) check.body(method, path, res);
      else check.operation(method, path, res);
    });

    it('a reused Idempotency-Key with another body -> 422 IDEMPOTENCY_KEY_REUSED', async () => {
      const headers = auth(alice, { 'idempotency-key': 'conformance-key-1' });
      expect((await save(saveBody, headers)).status).toBe(201);
      const res = await save({ ...saveBody, confidence: 0.9 }, headers);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      check.operation('POST', '/predictions', res);
    });

    it('GET /openapi.json serves this very document as JSON', async () => {
      const res = await t.request('GET', '/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual(doc);
    });

    it('unknown routes and wrong methods answer the documented error body', async () => {
      const missing = await t.request('GET', '/no-such-route');
      const wrongMethod = await t.request('PUT', '/predict');
      expect([missing.status, wrongMethod.status]).toEqual([404, 405]);
      check.error(missing);
      check.error(wrongMethod);
    });
  });
}
