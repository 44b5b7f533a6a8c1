import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretError } from '../../ports/secrets.js';
import { toSecretError } from './sdk-secret-error.js';
import type { SecretIds } from './secrets-manager-secrets.js';

/**
 * The SDK client class handed to @middy/secrets-manager (its `AwsClient` option). Two fixes to how
 * middy reports a failed fetch:
 * - middy refreshes an expired secret from a timer, and nothing awaits that promise: a failed
 *   refresh is an unhandled rejection, which the Lambda Node.js runtime treats as fatal (the
 *   container exits mid-invocation). Once a secret has been read, a failed re-read therefore
 *   answers with the last value read (reported through `onStaleServed`), so it never rejects.
 * - a first fetch that fails is rethrown as a SecretError naming the logical name and SecretId;
 *   the SDK's own message ("can't find the specified secret") does not say which one.
 * Both wrap at the initialize step, outside the SDK's retries, which still see the original errors.
 */
export function middySecretsClient(
  secretIds: SecretIds,
  onStaleServed?: (error: SecretError) => void,
): typeof SecretsManagerClient {
  const nameOf = new Map(Object.entries(secretIds).map(([name, id]) => [id, name]));
  const lastRead = new Map<string, unknown>();
  return class extends SecretsManagerClient {
    constructor(...args: ConstructorParameters<typeof SecretsManagerClient>) {
      super(...args);
      this.middlewareStack.add(
        (next) => async (request) => {
          const secretId = String((request.input as { SecretId?: unknown }).SecretId);
          try {
            const result = await next(request);
            lastRead.set(secretId, result);
            return result;
          } catch (error) {
            const secretError = toSecretError(error, nameOf.get(secretId) ?? secretId, secretId);
            if (!lastRead.has(secretId)) throw secretError;
            onStaleServed?.(secretError);
            return lastRead.get(secretId) as Awaited<ReturnType<typeof next>>;
          }
        },
        { step: 'initialize', name: 'pettrackerSecretErrors' },
      );
    }
  };
}
