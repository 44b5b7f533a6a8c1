import type { z } from 'zod';
import { SecretError, type Secrets } from '../../ports/secrets.js';

/**
 * A JSON secret (e.g. {"username": ..., "password": ...}), parsed and checked against `schema`.
 * Failures name the secret and the failing paths only: JSON.parse's own message quotes the text it
 * choked on, and a zod issue may carry the input, so neither is kept, not even as a cause.
 */
export async function readJsonSecret<T>(secrets: Secrets, name: string, schema: z.ZodType<T>): Promise<T> {
  const text = await secrets.get(name);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SecretError('SECRET_MALFORMED', name, `Secret "${name}" is not valid JSON.`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((i) => i.path.join('.') || '(root)');
    throw new SecretError(
      'SECRET_MALFORMED',
      name,
      `Secret "${name}" does not have the expected shape at: ${[...new Set(paths)].join(', ')}.`,
    );
  }
  return parsed.data;
}
