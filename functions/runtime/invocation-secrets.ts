import { createMiddySecrets } from '../../shared/adapters/secrets/middy-secrets.js';
import type { SecretIds } from '../../shared/adapters/secrets/secrets-manager-secrets.js';
import { SecretError, type Secrets } from '../../shared/ports/secrets.js';
import { currentInvocation } from './invocation.js';

/**
 * The Secrets port over what @middy/secrets-manager put on the current invocation's context. Outside
 * an invocation there is no value to give: the adapters read secrets per call (see withRotatingToken).
 */
export function invocationSecrets(secretIds: SecretIds): Secrets {
  return {
    get(name) {
      const invocation = currentInvocation();
      if (!invocation) {
        return Promise.reject(
          new SecretError('SECRET_UNAVAILABLE', name, `Secret "${name}" is read outside an invocation.`),
        );
      }
      return createMiddySecrets(invocation.context, secretIds).get(name);
    },
  };
}
