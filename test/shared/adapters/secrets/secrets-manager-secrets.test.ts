import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSecretsManagerSecrets,
  type SecretsManagerSecretsOptions,
} from '../../../../shared/adapters/secrets/secrets-manager-secrets.js';
import { awsClientConfig } from '../../../../shared/composition/aws-client-config.js';
import { SecretError } from '../../../../shared/ports/secrets.js';
import {
  type SecretsManagerEmulator,
  startSecretsManagerEmulator,
} from '../../../../tools/local-aws/secrets-manager/secrets-manager-emulator.js';
import {
  CONTRACT_SECRET_IDS,
  registerSecretsContract,
  startContractSecretsManager,
} from './secrets-contract.js';

const ids = CONTRACT_SECRET_IDS;

describe('Secrets Manager secrets (real SDK client -> emulator)', () => {
  let sm: SecretsManagerEmulator;
  let clock = 0;
  const open = (extra: Partial<SecretsManagerSecretsOptions> = {}) =>
    createSecretsManagerSecrets({
      secretIds: ids,
      clientConfig: awsClientConfig('us-east-1', sm.url),
      now: () => clock,
      ...extra,
    });
  const fetchesOf = (secretId: string) =>
    sm.requests.filter((r) => r.operation === 'GetSecretValue' && r.secretId === secretId).length;

  beforeAll(async () => {
    sm = await startContractSecretsManager();
  });
  afterAll(async () => {
    await sm?.close();
  });

  describe('contract', () => {
    registerSecretsContract(async () => {
      const secrets = open();
      return { secrets, close: async () => secrets.close() };
    });
  });

  it('fetches once within the TTL and sees a rotated value after it', async () => {
    sm.putSecret('pettracker/test/rotating', 'before-rotation');
    const secrets = open({ secretIds: { rotating: 'pettracker/test/rotating' }, ttlMs: 60_000 });
    try {
      clock = 1_000;
      expect(await secrets.get('rotating')).toBe('before-rotation');
      sm.putSecret('pettracker/test/rotating', 'after-rotation');
      clock = 60_999;
      expect(await secrets.get('rotating')).toBe('before-rotation');
      expect(fetchesOf('pettracker/test/rotating')).toBe(1);
      clock = 61_000;
      expect(await secrets.get('rotating')).toBe('after-rotation');
      expect(fetchesOf('pettracker/test/rotating')).toBe(2);
    } finally {
      secrets.close();
    }
  });

  it('shares one request between concurrent first reads', async () => {
    sm.putSecret('pettracker/test/concurrent', 'c');
    const secrets = open({ secretIds: { concurrent: 'pettracker/test/concurrent' } });
    try {
      const values = await Promise.all([1, 2, 3].map(() => secrets.get('concurrent')));
      expect(values).toEqual(['c', 'c', 'c']);
      expect(fetchesOf('pettracker/test/concurrent')).toBe(1);
    } finally {
      secrets.close();
    }
  });

  it('a missing secret is SECRET_NOT_FOUND naming the logical name and the SecretId', async () => {
    const secrets = open({ secretIds: { ...ids, gone: 'pettracker/test/does-not-exist' } });
    try {
      const error = await secrets.get('gone').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretError);
      expect(error).toMatchObject({ code: 'SECRET_NOT_FOUND', secretName: 'gone' });
      expect((error as Error).message).toMatch(/"gone".*"pettracker\/test\/does-not-exist".*not found/);
      // prefetch at start-up fails on the same secret, named, so a boot stops with a clear reason.
      await expect(secrets.prefetch()).rejects.toThrow(/does-not-exist/);
    } finally {
      secrets.close();
    }
  });

  it('keeps serving the last value while Secrets Manager is unreachable, asking again after retryAfterErrorMs', async () => {
    const own = await startSecretsManagerEmulator({ secrets: { 'pettracker/test/outage': 'still-good' } });
    const secrets = createSecretsManagerSecrets({
      secretIds: { outage: 'pettracker/test/outage' },
      clientConfig: { ...awsClientConfig('us-east-1', own.url), maxAttempts: 1 },
      ttlMs: 1_000,
      retryAfterErrorMs: 5_000,
      now: () => clock,
    });
    try {
      clock = 0;
      expect(await secrets.get('outage')).toBe('still-good');
      await own.close();
      clock = 2_000;
      expect(await secrets.get('outage')).toBe('still-good');
      // Back on the same port with a new value: not asked again until retryAfterErrorMs has passed.
      const back = await startSecretsManagerEmulator({
        port: Number(new URL(own.url).port),
        secrets: { 'pettracker/test/outage': 'recovered' },
      });
      clock = 6_999;
      expect(await secrets.get('outage')).toBe('still-good');
      expect(back.requests).toHaveLength(0);
      clock = 7_000;
      expect(await secrets.get('outage')).toBe('recovered');
      await back.close();
      // Never read before: there is nothing to fall back on, so the outage is reported, named.
      const fresh = createSecretsManagerSecrets({
        secretIds: { outage: 'pettracker/test/outage' },
        clientConfig: { ...awsClientConfig('us-east-1', own.url), maxAttempts: 1 },
      });
      await expect(fresh.get('outage')).rejects.toMatchObject({
        code: 'SECRET_UNAVAILABLE',
        secretName: 'outage',
      });
      fresh.close();
    } finally {
      secrets.close();
    }
  });
  it('refresh() refetches past the TTL, once for a burst of callers', async () => {
    sm.putSecret('pettracker/test/refreshed', 'old-password');
    const secrets = open({ secretIds: { db: 'pettracker/test/refreshed' }, ttlMs: 3_600_000 });
    try {
      clock = 500_000;
      expect(await secrets.get('db')).toBe('old-password');
      sm.putSecret('pettracker/test/refreshed', 'new-password');
      clock += 1_000;
      // Ten connections refused at once: one GetSecretValue, and every one sees the new value.
      const values = await Promise.all(Array.from({ length: 10 }, () => secrets.refresh('db')));
      expect(new Set(values)).toEqual(new Set(['new-password']));
      expect(fetchesOf('pettracker/test/refreshed')).toBe(2);
      // Within a second of a fetch, a refresh is answered from it; get() keeps the refreshed value.
      expect(await secrets.refresh('db')).toBe('new-password');
      expect(await secrets.get('db')).toBe('new-password');
      expect(fetchesOf('pettracker/test/refreshed')).toBe(2);
    } finally {
      secrets.close();
    }
  });
});
