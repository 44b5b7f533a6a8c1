import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { AppError, type ErrorCode, toErrorResponse } from '../../../shared/errors.js';
import { buildOpenApiDocument, openApiJson } from '../../../shared/http/openapi.js';
import { codesByStatus, errorExample, errorStatuses } from '../../../shared/http/openapi-errors.js';
import { operationExtras } from '../../../shared/http/openapi-extras.js';
import { operations } from '../../../shared/http/operations.js';
import { repoRoot } from '../../support/fixtures.js';
import { responseChecker } from '../../support/response-checker.js';

const doc = buildOpenApiDocument();
type Json = Record<string, unknown>;

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.push(inner);
      else refsIn(inner, found);
    }
  }
  return found;
}

function resolve(ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>(
      (node, part) => (node as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
      doc,
    );
}

describe('the generated OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(openApiJson()));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has every operation of the table, with bearer auth where the table asks for it and none elsewhere', () => {
    for (const op of operations) {
      const documented = doc.paths[op.path]?.[op.method.toLowerCase()];
      expect(documented, `${op.method} ${op.path}`).toMatchObject({
        operationId: op.id,
        summary: op.summary,
      });
      expect(documented?.security).toEqual(op.auth ? [{ bearerAuth: [] }] : []);
    }
    const count = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
    expect(count).toBe(operations.length);
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    });
  });

  it('documents both ways of sending a photo and the JSON body of a save', () => {
    const predict = doc.paths['/predict']?.post?.requestBody as { content: Json };
    expect(Object.keys(predict.content)).toEqual(
      expect.arrayContaining(['image/jpeg', 'image/png', 'image/webp', 'multipart/form-data']),
    );
    expect(predict.content['multipart/form-data']).toMatchObject({
      schema: { properties: { image: { type: 'string', format: 'binary' } }, required: ['image'] },
    });
    const save = doc.paths['/predictions']?.post?.requestBody as { content: Json };
    expect(save.content['application/json']).toMatchObject({
      schema: { $ref: '#/components/schemas/SavePredictionBody' },
    });
  });

  it('resolves every $ref inside the document', () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(resolve(ref), ref).toBeDefined();
  });

  it('has component schemas that compile as strict JSON Schema 2020-12', () => {
    const schemas = doc.components.schemas as Record<string, Json>;
    const local = JSON.parse(JSON.stringify(schemas).replaceAll('#/components/schemas/', '#/$defs/'));
    const ajv = new Ajv2020({ strict: true, validateFormats: false });
    for (const name of Object.keys(schemas)) {
      expect(() => ajv.compile({ $defs: local, $ref: `#/$defs/${name}` }), name).not.toThrow();
    }
  });

  it('lists each error status an operation can answer, with the codes of that status', () => {
    const byStatus = codesByStatus();
    for (const op of operations) {
      const responses = doc.paths[op.path]?.[op.method.toLowerCase()]?.responses as Json;
      for (const status of errorStatuses(op)) {
        expect(responses[String(status)], `${op.id} ${status}`).toEqual({
          $ref: `#/components/responses/Error${status}`,
        });
        const codes = byStatus.get(status);
        expect(codes, `codes for ${status}`).toBeDefined();
        const media = resolve(`#/components/responses/Error${status}/content/application~1json`) as Json;
        expect(Object.keys(media.examples as Json)).toEqual(
          [401, 413].includes(status) ? [...(codes ?? []), 'ApiGateway'] : codes,
        );
      }
    }
    expect(byStatus.get(500)).toEqual(['INTERNAL']);
    expect(byStatus.get(503)).toEqual(['NOT_READY', 'STORE_UNAVAILABLE', 'BUSY']);
  });

  it('documents 405 with Allow on every operation, and 401 with WWW-Authenticate and the gateway body', () => {
    for (const op of operations) {
      const responses = doc.paths[op.path]?.[op.method.toLowerCase()]?.responses as Json;
      expect(responses['405'], op.id).toEqual({ $ref: '#/components/responses/Error405' });
      expect(responses.default, op.id).toEqual({ $ref: '#/components/responses/OtherError' });
      expect(responses['401'] !== undefined, op.id).toBe(op.auth);
    }
    const headersOf = (name: string) =>
      Object.keys((resolve(`#/components/responses/${name}`) as Json).headers as Json);
    expect(headersOf('Error405')).toContain('Allow');
    expect(headersOf('Error401')).toContain('WWW-Authenticate');
    const check = responseChecker(doc);
    const headers = { 'x-request-id': 'r', 'content-type': 'application/json' };
    const gateway = {
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: { message: 'Unauthorized' },
    };
    expect(() => check.body('GET', '/predictions', gateway)).not.toThrow();
    expect(() =>
      check.body('GET', '/predictions', { ...gateway, body: { message: 'Unauthorized', x: 1 } }),
    ).toThrow();
    expect(() => check.operation('GET', '/health', { status: 401, headers, body: gateway.body })).toThrow();
    const refused = { error: { code: 'UNAUTHENTICATED', message: 'm', requestId: 'r' } };
    const challenge = (value: string) => () =>
      check.operation('GET', '/predictions', {
        status: 401,
        headers: { ...headers, 'www-authenticate': value },
        body: refused,
      });
    expect(challenge('Bearer error="invalid_token"')).not.toThrow();
    expect(challenge('Basic realm="x"')).toThrow();
  });

  it('writes no tuple that draft-07 readers (Spectral, Prism) reject', () => {
    expect(resolve('#/components/schemas/ModelResponse/properties/inputSize')).toMatchObject({
      type: 'array',
      minItems: 2,
      maxItems: 2,
      items: { type: 'integer' },
    });
    expect(JSON.stringify(doc)).not.toMatch(/"items":\s*false/);
  });

  it('takes each code’s status from the error table, through the one error mapping', () => {
    for (const [status, codes] of codesByStatus()) {
      for (const code of codes) {
        const example = errorExample(code as ErrorCode);
        expect(example.body.error.code).toBe(code);
        expect(example.status).toBe(status);
      }
    }
    expect(toErrorResponse(new AppError('UNKNOWN_BREED', 'x'), 'r').status).toBe(400);
  });

  it('has examples that the operation’s own zod schemas accept', () => {
    const ids = new Set(operations.map((op) => op.id));
    for (const [id, extras] of Object.entries(operationExtras)) {
      expect(ids.has(id), `operationExtras.${id} names no operation`).toBe(true);
      const op = operations.find((o) => o.id === id);
      if (extras.responseExample !== undefined) op?.response.schema?.parse(extras.responseExample);
      if (extras.requestExample !== undefined && op?.body.kind === 'json')
        op.body.schema.parse(extras.requestExample);
    }
  });

  it('is what docs/openapi.json holds (run npm run openapi after changing the table)', async () => {
    const committed = JSON.parse(await readFile(path.join(repoRoot, 'docs', 'openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(openApiJson()));
  });

  it('is checked strictly enough that a wrong body fails', () => {
    const check = responseChecker(doc);
    const headers = { 'x-request-id': 'r', 'content-type': 'application/json' };
    expect(() =>
      check.operation('GET', '/health', { status: 200, headers, body: { status: 'fine' } }),
    ).toThrow();
    expect(() => check.operation('GET', '/health', { status: 418, headers, body: {} })).toThrow();
    const wrongCode = { error: { code: 'NOT_FOUND', message: 'm', requestId: 'r' } };
    expect(() => check.operation('POST', '/predict', { status: 400, headers, body: wrongCode })).toThrow();
  });
});
