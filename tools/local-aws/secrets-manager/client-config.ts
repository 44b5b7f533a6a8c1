import type { SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';

/**
 * SDK client settings for the local emulator. The emulator does not check signatures, but the SDK
 * still signs every request, so it needs some credentials; these fixed ones keep it from searching
 * the machine for real ones (and from ever sending them to a local port).
 */
export function emulatorClientConfig(url: string, region = 'us-east-1'): SecretsManagerClientConfig {
  return {
    endpoint: url,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}
