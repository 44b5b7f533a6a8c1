import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { readJsonSecret } from '../../../../shared/adapters/secrets/json-secret.js';
import { SecretError, type Secrets } from '../../../../shared/ports/secrets.js';
import {
  type SecretsManagerEmulator,
  startSecretsManagerEmulator,
} from '../../../../tools/local-aws/secrets-manager/secrets-manager-emulator.js';

/** What every adapter's source holds for the contract, under these logical names. */
export const CONTRACT_SECRETS = {
  apiToken: 'contract-token-3f9a1c',
  dbCredentials: JSON.stringify({ username: 'app', password: 'contract-password-77d2' }),
} as const;

export interface OpenedSecrets {
  secrets: Secrets;
  close?: () => Promise<void>;
}

/**
 * The Secrets contract: `open` returns an adapter whose source holds CONTRACT_SECRETS under those
 * logical names and knows no other name.
 */
export function registerSecretsContract(open: () => Promise<OpenedSecrets>): void {
  let opened: OpenedSecrets;
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(async () => {
    await opened?.close?.();
  });

  it('returns the value of a configured secret', async () => {
    expect(await opened.secrets.get('apiToken')).toBe(CONTRACT_SECRETS.apiToken);
  });

  it('hands a JSON secret back as text that readJsonSecret parses and checks', async () => {
    const schema = z.object({ username: z.string(), password: z.string() });
    expect(await readJsonSecret(opened.secrets, 'dbCredentials', schema)).toEqual(
      JSON.parse(CONTRACT_SECRETS.dbCredentials),
    );
  });

  it('rejects an unknown name with SECRET_NOT_CONFIGURED, naming it', async () => {
    const error = await opened.secrets.get('noSuchSecret').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretError);
    expect(error).toMatchObject({ code: 'SECRET_NOT_CONFIGURED', secretName: 'noSuchSecret' });
    expect((error as Error).message).toContain('noSuchSecret');
  });
}

/** The secret ids the Secrets Manager-backed runs use for the contract's logical names. */
export const CONTRACT_SECRET_IDS = {
  apiToken: 'pettracker/test/api-token',
  dbCredentials: 'pettracker/test/db',
};

/** A Secrets Manager emulator holding CONTRACT_SECRETS under CONTRACT_SECRET_IDS. */
export function startContractSecretsManager(): Promise<SecretsManagerEmulator> {
  return startSecretsManagerEmulator({
    secrets: {
      [CONTRACT_SECRET_IDS.apiToken]: CONTRACT_SECRETS.apiToken,
      [CONTRACT_SECRET_IDS.dbCredentials]: CONTRACT_SECRETS.dbCredentials,
    },
  });
}
