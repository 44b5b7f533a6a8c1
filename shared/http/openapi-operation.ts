import { STATUS_CODES } from 'node:http';
import type { z } from 'zod';
import { SUPPORTED_IMAGE_TYPES } from '../image/sniff-image.js';
import { errorResponseName, errorStatuses, OTHER_ERROR_RESPONSE } from './openapi-errors.js';
import type { HeaderDoc, OperationExtras } from './openapi-extras.js';
import { type JsonSchema, jsonSchemaOf, type SchemaComponents } from './openapi-schemas.js';
import type { Operation } from './operation.js';

// contentMediaType is OpenAPI 3.1's spelling of a binary string; `format: binary` is 3.0's, still the
// one most client generators (openapi-generator, orval, Kiota, openapi-typescript's documented Blob
// transform) map to a Blob/File. Both are annotations to JSON Schema, so carrying both costs nothing.
// No contentEncoding: the bytes travel as they are, not base64.
const BINARY = { type: 'string', format: 'binary' };

// application/octet-stream (a file the client did not inspect) is recognised by its bytes. It comes
// first: a generated client sends the first media type it finds for whatever Blob it is given, and
// only this one is right for a JPEG, a PNG and a WebP alike.
const IMAGE_BODY_TYPES = ['application/octet-stream', ...SUPPORTED_IMAGE_TYPES];

/** The raw image (any of the sniffed types, or octet-stream) or multipart/form-data field `image`. */
function imageRequestBody(): JsonSchema {
  const raw = Object.fromEntries(
    IMAGE_BODY_TYPES.map((type) => [type, { schema: { ...BINARY, contentMediaType: type } }]),
  );
  return {
    required: true,
    description:
      'The photo, either as the raw body (its type is read from its bytes; a declared image type must agree) ' +
      'or as the file field "image" of a multipart/form-data body. At most MAX_IMAGE_BYTES (5 MiB by default).',
    content: {
      ...raw,
      'multipart/form-data': {
        schema: {
          type: 'object',
          properties: { image: { ...BINARY, contentMediaType: 'application/octet-stream' } },
          required: ['image'],
        },
        encoding: { image: { contentType: IMAGE_BODY_TYPES.join(', ') } },
      },
    },
  };
}

/** Each property of a query or path schema as one parameter; zod's describe() becomes its description. */
function parametersOf(schema: z.ZodType | undefined, where: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, 'input');
  const required = new Set((json.required as string[] | undefined) ?? []);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(properties).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(description ? { description } : {}),
    schema: property,
  }));
}

function headerParameters(headers: readonly HeaderDoc[] = []): JsonSchema[] {
  return headers.map((h) => ({
    name: h.name,
    in: 'header',
    required: h.required ?? false,
    description: h.description,
    schema: jsonSchemaOf(h.schema, 'input'),
  }));
}

function successResponse(op: Operation, components: SchemaComponents, extras: OperationExtras): JsonSchema {
  const headers: Record<string, JsonSchema> = {
    'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
  };
  for (const h of extras.responseHeaders ?? []) {
    headers[h.name] = { description: h.description, schema: jsonSchemaOf(h.schema, 'output') };
  }
  const response: JsonSchema = { description: STATUS_CODES[op.response.status] ?? 'Success', headers };
  if (op.response.schema) {
    const media: JsonSchema = { schema: components.ref(op.response.schema, 'output') };
    // Through the schema, as the runtimes' answers are: a field the schema drops leaves the example
    // too, and one the example lacks fails generation (and test/shared/http/openapi.test.ts) instead of a linter later.
    if (extras.responseExample !== undefined)
      media.example = op.response.schema.parse(extras.responseExample);
    response.content = { 'application/json': media };
  }
  return response;
}

/** The OpenAPI Operation Object of one table entry. */
export function operationObject(
  op: Operation,
  components: SchemaComponents,
  extras: OperationExtras = {},
): JsonSchema {
  const parameters = [
    ...parametersOf(op.params, 'path'),
    ...parametersOf(op.query, 'query'),
    ...headerParameters(extras.requestHeaders),
  ];
  const responses: Record<string, JsonSchema> = {
    [String(op.response.status)]: successResponse(op, components, extras),
  };
  for (const status of errorStatuses(op)) {
    responses[String(status)] = { $ref: `#/components/responses/${errorResponseName(status)}` };
  }
  responses.default = { $ref: `#/components/responses/${OTHER_ERROR_RESPONSE}` };
  const object: JsonSchema = { operationId: op.id, summary: op.summary };
  if (extras.description) object.description = extras.description;
  if (extras.tag) object.tags = [extras.tag];
  // An empty list says "no authentication" outright; leaving it out would read as "unspecified".
  object.security = op.auth ? [{ bearerAuth: [] }] : [];
  if (parameters.length > 0) object.parameters = parameters;
  if (op.body.kind === 'image') object.requestBody = imageRequestBody();
  if (op.body.kind === 'json') {
    const media: JsonSchema = { schema: components.ref(op.body.schema, 'input') };
    if (extras.requestExample !== undefined) media.example = extras.requestExample;
    object.requestBody = { required: true, content: { 'application/json': media } };
  }
  object.responses = responses;
  return object;
}
