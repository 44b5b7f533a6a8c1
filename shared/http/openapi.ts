import { errorResponses, responseHeaders } from './openapi-errors.js';
import { API_TAGS, operationExtras } from './openapi-extras.js';
import { API_GATEWAY_ERROR, apiGatewayErrorSchema } from './openapi-gateway.js';
import { operationObject } from './openapi-operation.js';
import { type JsonSchema, jsonSchemaOf, schemaComponents } from './openapi-schemas.js';
import type { Operation } from './operation.js';
import { operations } from './operations.js';
import { ErrorBody } from './schemas.js';

/** The contract's own version: bump it with any change a client would notice. */
export const API_VERSION = '1.1.0';

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
  'METHOD_NOT_ALLOWED, with the same body. On the Lambda deployment API Gateway answers a few statuses',
  'itself (a refused token, throttling) with {"message": ...} instead.',
].join(' ');

/*
 * Relative, so it resolves against wherever this document was fetched from (RFC 3986 as OpenAPI 3.1
 * says): each deployment serves the document at GET /openapi.json on its own origin, and each stage of
 * the Lambda deployment is its own HTTP API on the $default stage, so no stage segment is in the path.
 * A templated URL (https://{apiId}.execute-api.{region}.amazonaws.com) would give client generators
 * that bake servers[0] in as their default base URL a placeholder host that resolves nowhere; with
 * "/" they fall back to a base URL the app must set, which a mobile app does anyway per stage.
 */
const SERVERS = [
  {
    url: '/',
    description:
      'The origin this document is served from: the Beanstalk environment or the HTTP API of a stage.',
  },
];

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
    servers: SERVERS,
    tags: API_TAGS.map((tag) => ({ ...tag })),
    paths,
    components: {
      schemas: sortedByName({ ...components.schemas, [API_GATEWAY_ERROR]: apiGatewayErrorSchema }),
      responses: errorResponses(ops, jsonSchemaOf(ErrorBody, 'output')),
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

function sortedByName<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

let serialized: string | undefined;

/** The document as JSON text, built once per process (a few ms) and then reused by every request. */
export function openApiJson(): string {
  serialized ??= JSON.stringify(buildOpenApiDocument(), null, 2);
  return serialized;
}
