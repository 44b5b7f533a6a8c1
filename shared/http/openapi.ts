import { errorResponses, responseHeaders } from './openapi-errors.js';
import { operationExtras } from './openapi-extras.js';
import { operationObject } from './openapi-operation.js';
import { type JsonSchema, schemaComponents } from './openapi-schemas.js';
import type { Operation } from './operation.js';
import { operations } from './operations.js';
import { ErrorBody } from './schemas.js';

/** The contract's own version: bump it with any change a client would notice. */
export const API_VERSION = '1.0.0';

export interface OpenApiDocument {
  openapi: string;
  info: JsonSchema;
  paths: Record<string, Record<string, JsonSchema>>;
  components: JsonSchema;
  [field: string]: unknown;
}

const DESCRIPTION = [
  'Pet-breed prediction for the mobile app: POST a photo to /predict, save answers to your history.',
  'Generated from the operation table (shared/http/operations.ts) and its zod schemas; never edited by hand.',
  'Every error answer has the body {"error": {"code", "message", "requestId", "details?"}}: switch on code,',
  'never on message. Unknown routes answer 404 NOT_FOUND and known paths with another method 405',
  'METHOD_NOT_ALLOWED, with the same body.',
].join(' ');

/**
 * The OpenAPI 3.1 document of `ops` (default: the whole table). Both runtimes serve the same one:
 * Express at GET /openapi.json, Lambda from a function that returns openApiJson().
 */
export function buildOpenApiDocument(ops: readonly Operation[] = operations): OpenApiDocument {
  const components = schemaComponents(ops, ErrorBody);
  const paths: OpenApiDocument['paths'] = {};
  for (const op of ops) {
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, JsonSchema>)[op.method.toLowerCase()] = operationObject(
      op,
      components,
      operationExtras[op.id],
    );
  }
  return {
    openapi: '3.1.0',
    info: { title: 'pettracker API', version: API_VERSION, description: DESCRIPTION },
    paths,
    components: {
      schemas: components.schemas,
      responses: errorResponses(components.ref(ErrorBody, 'output')),
      headers: responseHeaders,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT from the identity provider (JWT_JWKS_URL); its `sub` names the user whose history is read. On the embedded default, `npx pettracker token <user>` mints one.',
        },
      },
    },
  };
}

let serialized: string | undefined;

/** The document as JSON text, built once per process (a few ms) and then reused by every request. */
export function openApiJson(): string {
  serialized ??= JSON.stringify(buildOpenApiDocument(), null, 2);
  return serialized;
}
