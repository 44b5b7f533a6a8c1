import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEnvSecrets } from '../../../../shared/adapters/secrets/env-secrets.js';
import { readJsonSecret } from '../../../../shared/adapters/secrets/json-secret.js';
import { CONTRACT_SECRETS, registerSecretsContract } from './secrets-contract.js';

describe('env secrets (local configuration)', () => {
  registerSecretsContract(async () => ({ secrets: createEnvSecrets(CONTRACT_SECRETS) }));

  it('treats a name mapped to an unset or empty value as not configured', async () => {
    const secrets = createEnvSecrets({ unset: undefined, empty: '' });
    await expect(secrets.get('unset')).rejects.toMatchObject({ code: 'SECRET_NOT_CONFIGURED' });
    await expect(secrets.get('empty')).rejects.toMatchObject({ code: 'SECRET_NOT_CONFIGURED' });
  });
});

describe('readJsonSecret', () => {
  const schema = z.object({ username: z.string(), password: z.string() });

  it('reports text that is not JSON as SECRET_MALFORMED without quoting it, not even in a cause', async () => {
    const secrets = createEnvSecrets({ db: 'hunter2-not-json' });
    const error = await readJsonSecret(secrets, 'db', schema).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SECRET_MALFORMED', secretName: 'db' });
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('hunter2');
    expect((error as Error).cause).toBeUndefined();
  });

  it('reports JSON of the wrong shape by path, without the values', async () => {
    const secrets = createEnvSecrets({ db: JSON.stringify({ username: 'app', password: 12345678 }) });
    const error = await readJsonSecret(secrets, 'db', schema).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SECRET_MALFORMED' });
    expect((error as Error).message).toContain('password');
    expect((error as Error).message).not.toContain('12345678');
  });
});
