import {
  GetSecretValueCommand,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';
import { SecretError, type Secrets } from '../../ports/secrets.js';
import { toSecretError } from './sdk-secret-error.js';

/** Logical name -> Secrets Manager SecretId (name or ARN); the same ids the Lambda middleware fetches. */
export type SecretIds = Readonly<Record<string, string>>;

export interface SecretsManagerSecretsOptions {
  secretIds: SecretIds;
  /**
   * Fetch again after this, so a rotated value is picked up. Default 300 000 ms (5 min), like the
   * Lambda middleware: Secrets Manager keeps the previous version valid while a rotation runs, and
   * one GetSecretValue per secret per 5 minutes costs nothing worth counting.
   */
  ttlMs?: number;
  /** After a failed refresh the previous value is served this long before trying again. Default 30 000 ms. */
  retryAfterErrorMs?: number;
  /**
   * refresh() within this long of the last fetch returns that fetch's value instead of asking again,
   * so a burst of refused database connections after a rotation costs one request. Default 1 000 ms.
   */
  minRefreshIntervalMs?: number;
  /** Region, credentials, or `endpoint` of the local emulator. Defaults to the SDK's chain (AWS_REGION). */
  clientConfig?: SecretsManagerClientConfig;
  now?: () => number;
}

export interface SecretsManagerSecrets extends Secrets {
  /** Fetches every configured secret: call at start-up so a missing one fails the boot, named. */
  prefetch(): Promise<void>;
  refresh(name: string): Promise<string>;
  close(): void;
}

interface Entry {
  value?: string;
  freshUntil: number;
  /** When the last fetch (successful or not) ended. */
  fetchedAt?: number;
  pending?: Promise<string>;
}

/**
 * Secrets from AWS Secrets Manager (Beanstalk, scripts): fetched on first use or by prefetch(), then
 * cached for a finite TTL. Concurrent first reads share one request. When a refresh fails for a
 * transient reason the last value is kept, since a Secrets Manager blip should not fail requests
 * that worked a moment ago; a secret that no longer exists is reported as such.
 */
export function createSecretsManagerSecrets(options: SecretsManagerSecretsOptions): SecretsManagerSecrets {
  const ttlMs = options.ttlMs ?? 300_000;
  const retryAfterErrorMs = options.retryAfterErrorMs ?? 30_000;
  const minRefreshIntervalMs = options.minRefreshIntervalMs ?? 1_000;
  const now = options.now ?? Date.now;
  const client = new SecretsManagerClient({
    // The SDK waits forever on a silent endpoint by default; at start-up that would hang the boot.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
    ...options.clientConfig,
  });
  const entries = new Map<string, Entry>();

  const get = async (name: string): Promise<string> => {
    const secretId = Object.hasOwn(options.secretIds, name) ? options.secretIds[name] : undefined;
    if (!secretId) {
      throw new SecretError(
        'SECRET_NOT_CONFIGURED',
        name,
        `Secret "${name}" has no Secrets Manager id configured.`,
      );
    }
    const entry = entries.get(name);
    if (entry?.value !== undefined && now() < entry.freshUntil) return entry.value;
    if (entry?.pending) return entry.pending;
    const stale = entry?.value;
    const pending = fetchSecret(client, name, secretId).then(
      (value) => {
        entries.set(name, { value, freshUntil: now() + ttlMs, fetchedAt: now() });
        return value;
      },
      (error: SecretError) => {
        if (stale === undefined || error.code !== 'SECRET_UNAVAILABLE') {
          entries.delete(name);
          throw error;
        }
        entries.set(name, { value: stale, freshUntil: now() + retryAfterErrorMs, fetchedAt: now() });
        return stale;
      },
    );
    entries.set(name, { value: stale, freshUntil: 0, pending });
    return pending;
  };

  const refresh = async (name: string): Promise<string> => {
    const entry = entries.get(name);
    if (entry?.pending) return entry.pending;
    if (entry?.value !== undefined && entry.fetchedAt !== undefined) {
      if (now() - entry.fetchedAt < minRefreshIntervalMs) return entry.value;
      entry.freshUntil = 0;
    }
    return get(name);
  };

  return {
    get,
    refresh,
    async prefetch() {
      await Promise.all(Object.keys(options.secretIds).map(get));
    },
    close: () => client.destroy(),
  };
}

async function fetchSecret(client: SecretsManagerClient, name: string, secretId: string): Promise<string> {
  let secretString: string | undefined;
  try {
    ({ SecretString: secretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId })));
  } catch (error) {
    throw toSecretError(error, name, secretId);
  }
  if (typeof secretString !== 'string') {
    throw new SecretError(
      'SECRET_NOT_STRING',
      name,
      `Secret "${name}" (SecretId "${secretId}") has no SecretString (binary secrets are not supported).`,
    );
  }
  return secretString;
}
