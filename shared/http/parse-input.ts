import type { z } from 'zod';
import { BadRequestError } from '../errors.js';

/** zod issues as a small, stable shape for the error's `details`. */
function describe(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

export function parseWith<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new BadRequestError('VALIDATION_FAILED', `Invalid ${where}.`, describe(result.error));
  }
  return result.data;
}

export function parseJsonBody<T>(schema: z.ZodType<T>, body: Buffer): T {
  if (body.length === 0) throw new BadRequestError('EMPTY_BODY', 'The request needs a JSON body.');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadRequestError('INVALID_JSON', 'The body is not valid JSON.');
  }
  return parseWith(schema, value, 'body');
}
