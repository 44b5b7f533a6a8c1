import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import secretsManager from '@middy/secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMiddySecrets,
  type MiddySecretsOptions,
  middySecretsOptions,
} from '../../../../shared/adapters/secrets/middy-secrets.js';
import type { SecretIds } from '../../../../shared/adapters/secrets/secrets-manager-secrets.js';
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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('middy secrets (@middy/secrets-manager -> real SDK client -> emulator)', () => {
  let sm: SecretsManagerEmulator;

  /** A tiny Lambda handler using the middleware as production would; returns the context it saw. */
  const lambda = (secretIds: SecretIds, extra: Partial<MiddySecretsOptions> = {}) => {
    const options = middySecretsOptions({
      secretIds,
      awsClientOptions: awsClientConfig('us-east-1', sm.url),
      // middy caches module-wide by key: a key per handler keeps the tests apart.
      cacheKey: `test-${randomUUID()}`,
      ...extra,
    });
    const handler = middy(async (_event: unknown, context: object) => context).use(secretsManager(options));
    return () => handler({}, {} as never) as Promise<Record<string, unknown>>;
  };
  const fetchesOf = (secretId: string) =>
    sm.requests.filter((r) => r.operation === 'GetSecretValue' && r.secretId === secretId).length;

  beforeAll(async () => {
    sm = await startContractSecretsManager();
  });
  afterAll(async () => {
    await sm?.close();
  });

  describe('contract', () => {
    registerSecretsContract(async () => ({ secrets: createMiddySecrets(await lambda(ids)(), ids) }));
  });

  it('puts the value on the context, where the adapter reads it, fetching once for many invocations', async () => {
    sm.putSecret('pettracker/test/once', 'once-value');
    const invoke = lambda({ once: 'pettracker/test/once' });
    for (let i = 0; i < 3; i += 1) {
      const context = await invoke();
      expect(context.once).toBe('once-value');
      expect(await createMiddySecrets(context, { once: 'pettracker/test/once' }).get('once')).toBe(
        'once-value',
      );
    }
    expect(fetchesOf('pettracker/test/once')).toBe(1);
  });

  it('sees a rotated value once cacheExpiry has passed (middy caches forever by default)', async () => {
    sm.putSecret('pettracker/test/rotating', 'before');
    const invoke = lambda({ rotating: 'pettracker/test/rotating' }, { cacheExpiryMs: 150 });
    expect((await invoke()).rotating).toBe('before');
    sm.putSecret('pettracker/test/rotating', 'after');
    expect((await invoke()).rotating).toBe('before');
    await sleep(400);
    expect((await invoke()).rotating).toBe('after');
  });

  it('a refresh that fails keeps the last value and reports it, never an unhandled rejection', async () => {
    const own = await startSecretsManagerEmulator({ secrets: { 'pettracker/test/outage': 'kept' } });
    const stale: SecretError[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const options = middySecretsOptions({
        secretIds: { outage: 'pettracker/test/outage' },
        awsClientOptions: { ...awsClientConfig('us-east-1', own.url), maxAttempts: 1 },
        cacheKey: `test-${randomUUID()}`,
        cacheExpiryMs: 100,
        onStaleServed: (error) => stale.push(error),
      });
      const handler = middy(async (_event: unknown, context: { outage?: unknown }) => context.outage).use(
        secretsManager(options),
      );
      expect(await handler({}, {} as never)).toBe('kept');
      await own.close();
      // middy re-fetches from a timer every 100 ms; each of these fails against the closed port.
      await sleep(350);
      expect(await handler({}, {} as never)).toBe('kept');
      expect(stale.length).toBeGreaterThan(0);
      expect(stale[0]).toMatchObject({ code: 'SECRET_UNAVAILABLE', secretName: 'outage' });
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a missing secret fails the invocation with a SecretError naming it (middy wraps it as the cause)', async () => {
    const invoke = lambda({ gone: 'pettracker/test/does-not-exist' });
    const error = await invoke().catch((e: unknown) => e);
    const causes = (error as { cause?: { data?: unknown[] } }).cause?.data ?? [];
    expect(causes).toHaveLength(1);
    expect(causes[0]).toBeInstanceOf(SecretError);
    expect(causes[0]).toMatchObject({ code: 'SECRET_NOT_FOUND', secretName: 'gone' });
    expect((causes[0] as Error).message).toContain('pettracker/test/does-not-exist');
  });

  it('hands a value middy JSON-parsed back as JSON text', async () => {
    const secrets = createMiddySecrets({ db: { username: 'u' } }, { db: 'x' });
    expect(await secrets.get('db')).toBe('{"username":"u"}');
  });

  it('says the middleware is missing when a configured secret is not on the context', async () => {
    await expect(createMiddySecrets({}, ids).get('apiToken')).rejects.toMatchObject({
      code: 'SECRET_UNAVAILABLE',
      message: expect.stringMatching(/middySecretsOptions/),
    });
  });

  it('options: setToContext, a finite cacheExpiry, names middy keeps as context keys', () => {
    const options = middySecretsOptions({ secretIds: ids });
    expect(options).toMatchObject({ setToContext: true, cacheExpiry: 300_000, fetchData: ids });
    expect(() => middySecretsOptions({ secretIds: { 'upstash-token': 'x' } })).toThrow(/identifier/);
    // Past a day middy would read the number as a Unix timestamp.
    expect(() => middySecretsOptions({ secretIds: ids, cacheExpiryMs: 86_400_001 })).toThrow(RangeError);
    expect(() => middySecretsOptions({ secretIds: ids, cacheExpiryMs: -1 })).toThrow(RangeError);
  });
});
