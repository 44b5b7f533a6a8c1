import { z } from 'zod';
import { DataApiError } from './errors.js';

/*
 * Request bodies of the five operations, as @aws-sdk/client-rds-data serialises them (restJson1:
 * member names as in the API reference, blobs as base64 strings). Unknown members are ignored, as
 * AWS does for members newer than the service.
 */

export const TYPE_HINTS = ['JSON', 'UUID', 'TIMESTAMP', 'DATE', 'TIME', 'DECIMAL'] as const;
export type TypeHint = (typeof TYPE_HINTS)[number];

/** A Field is a union: exactly one member is set. arrayValue is accepted here and refused later, as AWS does. */
const field = z
  .object({
    isNull: z.boolean().optional(),
    booleanValue: z.boolean().optional(),
    longValue: z.number().int().optional(),
    doubleValue: z.number().optional(),
    stringValue: z.string().optional(),
    blobValue: z.string().optional(),
    arrayValue: z.unknown().optional(),
  })
  .refine((value) => Object.values(value).filter((v) => v !== undefined).length === 1, {
    message: 'a Field must have exactly one member set',
  });
export type Field = z.infer<typeof field>;

const sqlParameter = z.object({
  name: z.string().min(1),
  value: field,
  typeHint: z.enum(TYPE_HINTS).optional(),
});
export type SqlParameter = z.infer<typeof sqlParameter>;

const target = {
  resourceArn: z.string().min(1),
  secretArn: z.string().min(1),
  database: z.string().optional(),
  schema: z.string().optional(),
};

export const executeRequest = z.object({
  ...target,
  sql: z.string().min(1),
  parameters: z.array(sqlParameter).optional(),
  transactionId: z.string().optional(),
  includeResultMetadata: z.boolean().optional(),
  continueAfterTimeout: z.boolean().optional(),
  resultSetOptions: z
    .object({
      decimalReturnType: z.enum(['STRING', 'DOUBLE_OR_LONG']).optional(),
      longReturnType: z.enum(['STRING', 'LONG']).optional(),
    })
    .optional(),
  formatRecordsAs: z.enum(['NONE', 'JSON']).optional(),
});
export type ExecuteRequest = z.infer<typeof executeRequest>;

export const batchExecuteRequest = z.object({
  ...target,
  sql: z.string().min(1),
  parameterSets: z.array(z.array(sqlParameter)).optional(),
  transactionId: z.string().optional(),
});
export type BatchExecuteRequest = z.infer<typeof batchExecuteRequest>;

export const beginTransactionRequest = z.object(target);
export type BeginTransactionRequest = z.infer<typeof beginTransactionRequest>;

export const endTransactionRequest = z.object({
  resourceArn: z.string().min(1),
  secretArn: z.string().min(1),
  transactionId: z.string().min(1),
});

/** Parses a body or answers BadRequestException naming the first offending member. */
export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.join('.') || 'request';
  throw new DataApiError('BadRequestException', `Invalid ${where}: ${issue?.message ?? 'malformed request'}`);
}
