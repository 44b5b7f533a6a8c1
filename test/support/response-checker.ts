import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import type { OpenApiDocument } from '../../shared/http/openapi.js';
import type { TargetResponse } from '../contract/api-contract.js';

type Json = Record<string, unknown>;

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Checks real responses against the generated document itself, with a JSON Schema 2020-12 validator
 * (ajv, the one @seriousme/openapi-schema-validator runs on): the document's $refs resolve inside it,
 * so this tests what a client generated from the document would expect, not what zod expects.
 * Formats are left unchecked: zod emits a pattern beside each format it uses.
 */
export function responseChecker(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(doc as object, 'openapi.json');

  /** The Response Object, following a $ref into components.responses; its JSON pointer for ajv. */
  function documented(
    method: string,
    path: string,
    status: number,
  ): { response: Json; at: string } | undefined {
    const operation = doc.paths[path]?.[method.toLowerCase()] as Json | undefined;
    const responses = operation?.responses as Record<string, Json> | undefined;
    const response = responses?.[String(status)];
    if (!response) return undefined;
    if (typeof response.$ref === 'string') {
      const name = response.$ref.replace('#/components/responses/', '');
      const found = (doc.components.responses as Record<string, Json>)[name] as Json;
      return { response: found, at: `#/components/responses/${pointer(name)}` };
    }
    return {
      response,
      at: `#/paths/${pointer(path)}/${method.toLowerCase()}/responses/${status}`,
    };
  }

  function validate(at: string, body: unknown): void {
    const check = ajv.getSchema(`openapi.json${at}/content/application~1json/schema`);
    if (!check) throw new Error(`no JSON schema at ${at}`);
    const valid = check(body);
    expect(valid, `${at}: ${ajv.errorsText(check.errors)}\n${JSON.stringify(body)}`).toBe(true);
  }

  /**
   * Every header the response documents: present when marked required, and when sent, a value its
   * schema accepts (WWW-Authenticate starts with Bearer, Retry-After is whole seconds, ...).
   */
  function checkHeaders(response: Json, at: string, res: TargetResponse): void {
    for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
      const value = res.headers[name.toLowerCase()];
      const [where, object] =
        typeof header.$ref === 'string'
          ? [
              header.$ref,
              (doc.components.headers as Record<string, Json>)[header.$ref.split('/').pop() ?? ''],
            ]
          : [`${at}/headers/${pointer(name)}`, header];
      if (object?.required === true) expect(value, `${at}: header ${name}`).toBeDefined();
      if (value === undefined) continue;
      const check = ajv.getSchema(`openapi.json${where}/schema`);
      if (!check) throw new Error(`no schema for header ${name} at ${where}`);
      expect(check(value), `${at}: header ${name}: ${value}: ${ajv.errorsText(check.errors)}`).toBe(true);
    }
  }

  /** The Response Object the document declares for this answer's status; fails when there is none. */
  function declared(method: string, path: string, res: TargetResponse): { response: Json; at: string } {
    const found = documented(method, path, res.status);
    expect(found, `${method} ${path} answered ${res.status}, which the document does not list`).toBeDefined();
    return found as { response: Json; at: string };
  }

  function checkBody(response: Json, at: string, res: TargetResponse): void {
    if (!response.content) {
      expect(res.body).toBeUndefined();
      return;
    }
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    validate(at, res.body);
  }

  return {
    /** The response is one the document declares for this operation, and its body fits the schema. */
    operation(method: string, path: string, res: TargetResponse): void {
      const { response, at } = declared(method, path, res);
      expect(res.headers['x-request-id']).toBeTruthy();
      if ('Retry-After' in ((response.headers ?? {}) as Json)) {
        expect(res.headers['retry-after']).toMatch(/^[0-9]+$/);
      }
      checkHeaders(response, at, res);
      checkBody(response, at, res);
    },
    /**
     * Only status and body, for answers a runtime does not write itself (API Gateway's own 401 has no
     * X-Request-Id).
     */
    body(method: string, path: string, res: TargetResponse): void {
      const { response, at } = declared(method, path, res);
      checkHeaders(response, at, res);
      checkBody(response, at, res);
    },
    /** An answer outside every operation (unknown route, wrong method) against its error response. */
    error(res: TargetResponse): void {
      const name = `Error${res.status}`;
      const responses = doc.components.responses as Record<string, Json>;
      expect(responses, `no component response ${name}`).toHaveProperty(name);
      const at = `#/components/responses/${name}`;
      checkHeaders(responses[name] as Json, at, res);
      validate(at, res.body);
    },
  };
}
