import openapiTS, { astToString, type SchemaObject } from 'openapi-typescript';
import ts from 'typescript';

const BLOB = ts.factory.createTypeReferenceNode('Blob');
const NULL = ts.factory.createLiteralTypeNode(ts.factory.createNull());

/**
 * A string schema that stands for raw bytes: OpenAPI 3.0's `format: binary`, or 3.1's
 * `contentMediaType` without a `contentEncoding` (with one, e.g. base64, the bytes travel as text and
 * a string is right). Our document carries both spellings on every binary body.
 */
export function isBinary(schema: SchemaObject): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (!types.includes('string')) return false;
  const { format, contentMediaType, contentEncoding } = schema as SchemaObject & {
    contentMediaType?: unknown;
    contentEncoding?: unknown;
  };
  return format === 'binary' || (typeof contentMediaType === 'string' && contentEncoding === undefined);
}

/**
 * TypeScript types for an openapi-fetch client of `document` (a parsed OpenAPI object, a URL, or YAML
 * text). openapi-typescript 7 types every string schema as `string`, binary ones included, and its CLI
 * has no option to change that; the Node API's `transform` hook is its documented way to make them
 * `Blob` (File is a Blob), so that a web or mobile client uploads a Blob without casts.
 */
export async function clientTypes(document: Parameters<typeof openapiTS>[0]): Promise<string> {
  const ast = await openapiTS(document, {
    silent: true,
    transform(schema) {
      if (!isBinary(schema)) return undefined;
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      return types.includes('null') || schema.nullable ? ts.factory.createUnionTypeNode([BLOB, NULL]) : BLOB;
    },
  });
  return astToString(ast);
}
