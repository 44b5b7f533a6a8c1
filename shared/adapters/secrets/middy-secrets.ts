import type { SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import type secretsManager from '@middy/secrets-manager';
import { SecretError, type Secrets } from '../../ports/secrets.js';
import { middySecretsClient } from './middy-secrets-client.js';
import type { SecretIds } from './secrets-manager-secrets.js';

export type MiddySecretsManagerOptions = NonNullable<Parameters<typeof secretsManager>[0]>;

export interface MiddySecretsOptions {
  /** Logical name -> SecretId; the names become properties of the Lambda context. */
  secretIds: SecretIds;
  /**
   * Default 300 000 ms (5 min). middy's default (-1) caches forever, so a warm container would never
   * see a rotated secret; 5 minutes bounds that while costing one GetSecretValue per secret per warm
   * container per 5 minutes, and Secrets Manager keeps the previous version valid during a rotation.
   * 0 fetches on every invocation.
   */
  cacheExpiryMs?: number;
  /** e.g. { endpoint, region, credentials } of the local emulator. Default: the Lambda role's. */
  awsClientOptions?: SecretsManagerClientConfig;
  /** middy caches per key, module-wide: two middlewares with one key would share values. */
  cacheKey?: string;
  /** Called when a refresh failed and the last value read was kept instead: log it (warn). */
  onStaleServed?: (error: SecretError) => void;
}

// middy rewrites context keys (anything but letters and digits becomes "_", a leading digit gets
// one prepended), so only names it keeps as they are can be found again by createMiddySecrets.
const CONTEXT_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Past one day middy reads cacheExpiry as a Unix timestamp in ms, not a duration.
const MAX_CACHE_EXPIRY_MS = 86_400_000;

/**
 * Options for @middy/secrets-manager on Lambda: fetched during init (prefetch), put on the context,
 * refreshed after `cacheExpiryMs`; a failed refresh keeps the last value (see middySecretsClient).
 * Usage: middy(handler).use(secretsManager(middySecretsOptions(...))).
 */
export function middySecretsOptions(options: MiddySecretsOptions): MiddySecretsManagerOptions {
  for (const name of Object.keys(options.secretIds)) {
    if (!CONTEXT_KEY.test(name)) {
      throw new SecretError('SECRET_NOT_CONFIGURED', name, `Secret name "${name}" must be an identifier.`);
    }
  }
  const cacheExpiry = options.cacheExpiryMs ?? 300_000;
  if (!(cacheExpiry >= 0 && cacheExpiry <= MAX_CACHE_EXPIRY_MS)) {
    throw new RangeError(`cacheExpiryMs must be in [0, ${MAX_CACHE_EXPIRY_MS}], got ${cacheExpiry}`);
  }
  return {
    fetchData: { ...options.secretIds },
    AwsClient: middySecretsClient(options.secretIds, options.onStaleServed),
    cacheExpiry,
    cacheKey: options.cacheKey ?? 'pettracker-secrets',
    setToContext: true,
    awsClientOptions: {
      // The SDK waits forever on a silent endpoint by default; init is limited to 10 s.
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
      ...options.awsClientOptions,
    },
  };
}

/** The Secrets port over what the middleware put on this invocation's context. */
export function createMiddySecrets(context: object, secretIds: SecretIds): Secrets {
  const values = context as Record<string, unknown>;
  return {
    async get(name) {
      if (!Object.hasOwn(secretIds, name)) {
        throw new SecretError(
          'SECRET_NOT_CONFIGURED',
          name,
          `Secret "${name}" is not in the middleware's fetchData.`,
        );
      }
      const value = values[name];
      if (typeof value === 'string') return value;
      if (value === undefined || value === null) {
        throw new SecretError(
          'SECRET_UNAVAILABLE',
          name,
          `Secret "${name}" is not on the handler context: is @middy/secrets-manager applied with middySecretsOptions()?`,
        );
      }
      // middy JSON-parses values that look like JSON; the port deals in text, so hand back text.
      return JSON.stringify(value);
    },
  };
}
