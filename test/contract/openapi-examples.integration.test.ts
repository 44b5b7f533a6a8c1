import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../shared/http/openapi.js';
import { hasTestdata, petsDir, repoRoot, testdataDir } from '../support/fixtures.js';
import { responseChecker } from '../support/response-checker.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { TargetResponse } from './api-contract.js';

/*
 * The examples of docs/openapi.json are real: each example request, sent to the app serving the bundled
 * model, gets the documented status, an answer the document accepts and the documented example answer
 * (up to what differs from one run to the next: ids, times, the backend, the worker count); and the
 * documented prediction is what the model answers for its photo.
 */
const EXAMPLE_PHOTO = path.join(petsDir, 'beagle_10.jpg');
/** What a run makes anew, and what the machine chooses: the rest of an answer must be the example. */
const VOLATILE = new Set(['id', 'createdAt', 'backend', 'workers']);

type Json = Record<string, unknown>;
type Operation = {
  security: unknown[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: { 'application/json'?: { example?: unknown } } }>;
};

let doc: OpenApiDocument;
let app: TestApp;
let token: string;

beforeAll(async () => {
  doc = JSON.parse(await readFile(path.join(repoRoot, 'docs', 'openapi.json'), 'utf8'));
  // The bundled model (the one MODEL_URI means when unset), not the tests' placeholder.
  app = await startTestApp({ MODEL_URI: path.join(repoRoot, 'models', 'pets-mobilenet-v1') });
  token = await app.token(`examples-${randomUUID()}`);
});
afterAll(() => app?.close());

const operation = (method: string, at: string) =>
  doc.paths[at]?.[method.toLowerCase()] as unknown as Operation;

/** The one success status an operation documents, and its example answer. */
function success(op: Operation): { status: number; example: unknown } {
  const [status, response] = Object.entries(op.responses).find(([s]) => /^2\d\d$/.test(s)) ?? [];
  return { status: Number(status), example: response?.content?.['application/json']?.example };
}

async function send(method: string, url: string, op: Operation, body?: Buffer | string, type?: string) {
  const headers: Record<string, string> = {};
  if (op.security.length > 0) headers.authorization = `Bearer ${token}`;
  if (type) headers['content-type'] = type;
  const res = await fetch(`${app.url}${url}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return {
    status: res.status,
    headers: Object.fromEntries(res.headers),
    body: text === '' ? undefined : JSON.parse(text),
  } satisfies TargetResponse;
}

/** The answer without what VOLATILE names, confidences to 4 places (the backends differ below that). */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Json)
        .filter(([key]) => !VOLATILE.has(key))
        .map(([key, inner]) => [
          key,
          key === 'confidence' && typeof inner === 'number' ? Number(inner.toFixed(4)) : comparable(inner),
        ]),
    );
  }
  return value;
}

describe('the examples of docs/openapi.json, sent to the app serving the bundled model', () => {
  const saved: string[] = [];

  it('every example request body gets its documented status, an answer the document accepts and the example answer', async () => {
    const check = responseChecker(doc);
    let sent = 0;
    for (const [at, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const op = operation(method, at);
        for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
          if (media.example === undefined) continue;
          const res = await send(method.toUpperCase(), at, op, JSON.stringify(media.example), type);
          const { status, example } = success(op);
          expect(res.status, `${method} ${at}: ${JSON.stringify(res.body)}`).toBe(status);
          check.operation(method.toUpperCase(), at, res);
          expect(comparable(res.body)).toEqual(comparable(example));
          if (at === '/predictions') saved.push(res.body.id);
          sent += 1;
        }
      }
    }
    // The save's example: the one request body the document exemplifies today.
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(saved).toHaveLength(1);
  });

  it.each([
    ['GET', '/predictions/{id}'],
    ['GET', '/predictions'],
    ['GET', '/model'],
    ['GET', '/ready'],
    ['GET', '/health'],
  ])('%s %s answers its documented example', async (method, at) => {
    const op = operation(method, at);
    const url = at.replace('{id}', saved[0] ?? randomUUID());
    const res = await send(method, url, op);
    const { status, example } = success(op);
    expect(res.status).toBe(status);
    responseChecker(doc).operation(method, at, res);
    expect(example).toBeDefined();
    expect(comparable(res.body)).toEqual(comparable(example));
  });

  it('documents an example answer for every operation that answers a body', () => {
    for (const [at, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const { status, example } = success(operation(method, at));
        if (status !== 204) expect(example, `${method} ${at}`).toBeDefined();
      }
    }
  });

  const title = hasTestdata
    ? `POST /predict answers the documented example for its photo (${EXAMPLE_PHOTO})`
    : `POST /predict answers the documented example for its photo: SKIPPED, no test data at ${testdataDir}`;
  it.skipIf(!hasTestdata)(title, async () => {
    const op = operation('POST', '/predict');
    const res = await send('POST', '/predict', op, await readFile(EXAMPLE_PHOTO), 'application/octet-stream');
    const { status, example } = success(op);
    expect(res.status).toBe(status);
    responseChecker(doc).operation('POST', '/predict', res);
    expect(comparable(res.body)).toEqual(comparable(example));
  });
});
