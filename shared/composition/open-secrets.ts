import { createEnvSecrets } from '../adapters/secrets/env-secrets.js';
import { createSecretsManagerSecrets } from '../adapters/secrets/secrets-manager-secrets.js';
import type { Config } from '../config.js';
import type { Secrets } from '../ports/secrets.js';
import { awsClientConfig } from './aws-client-config.js';

/** Logical secret names the service reads, whatever holds them. */
export const SECRET_NAMES = { upstashToken: 'upstashToken', databasePassword: 'databasePassword' } as const;

/**
 * The long-running runtimes' secrets: values straight from the configuration locally, or fetched from
 * Secrets Manager at start-up (and refreshed every SECRETS_CACHE_SECONDS) by the ids configured.
 * Lambda gets the same ids through @middy/secrets-manager instead.
 */
export async function openSecrets(config: Config): Promise<Secrets & { close(): void }> {
  const cache = config.cache;
  if (config.secrets.kind === 'env') {
    const upstashToken = cache.kind === 'upstash' && 'value' in cache.token ? cache.token.value : undefined;
    return { ...createEnvSecrets({ [SECRET_NAMES.upstashToken]: upstashToken }), close() {} };
  }
  const secrets = createSecretsManagerSecrets({
    secretIds: secretIdsFor(config),
    ttlMs: config.secrets.cacheSeconds * 1000,
    clientConfig: awsClientConfig(config.secrets.region, config.secrets.endpoint),
  });
  // A missing or unreadable secret stops the boot here, named, rather than failing requests later.
  await secrets.prefetch();
  return secrets;
}

/** Logical name -> Secrets Manager SecretId of every secret the configuration names (none locally). */
export function secretIdsFor(config: Config): Record<string, string> {
  const secretIds: Record<string, string> = {};
  const { cache, store } = config;
  if (cache.kind === 'upstash' && 'secretId' in cache.token)
    secretIds[SECRET_NAMES.upstashToken] = cache.token.secretId;
  if (store.kind === 'pg' && store.passwordSecretId)
    secretIds[SECRET_NAMES.databasePassword] = store.passwordSecretId;
  return secretIds;
}
