import { ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { SecretError } from '../../ports/secrets.js';

/**
 * A failed GetSecretValue as a SecretError naming the secret: the SDK's own message ("Secrets Manager
 * can't find the specified secret.") does not say which one. The SDK error stays as the cause; it
 * holds the service's error body, which never carries a secret value. No trailing period: pino
 * appends the cause's message after a colon.
 */
export function toSecretError(error: unknown, name: string, secretId: string): SecretError {
  if (error instanceof SecretError) return error;
  const which = `Secret "${name}" (SecretId "${secretId}")`;
  if (error instanceof ResourceNotFoundException) {
    return new SecretError('SECRET_NOT_FOUND', name, `${which} was not found in Secrets Manager`, {
      cause: error,
    });
  }
  // AWS errors are told apart by name (AccessDeniedException); network errors only by code (ECONNREFUSED).
  const code = (error as { code?: unknown } | undefined)?.code;
  const reason =
    error instanceof Error && error.name !== 'Error' ? error.name : String(code ?? 'unknown error');
  return new SecretError(
    'SECRET_UNAVAILABLE',
    name,
    `${which} could not be read from Secrets Manager (${reason})`,
    {
      cause: error,
    },
  );
}
