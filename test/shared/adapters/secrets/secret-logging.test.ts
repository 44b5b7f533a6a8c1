import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import middy from '@middy/core';
import secretsManager from '@middy/secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withFailOpen } from '../../../../shared/adapters/cache/fail-open-cache.js';
import { createUpstashCache } from '../../../../shared/adapters/cache/upstash-cache.js';
import { createEnvSecrets } from '../../../../shared/adapters/secrets/env-secrets.js';
import { readJsonSecret } from '../../../../shared/adapters/secrets/json-secret.js';
import { middySecretsOptions } from '../../../../shared/adapters/secrets/middy-secrets.js';
import { createSecretsManagerSecrets } from '../../../../shared/adapters/secrets/secrets-manager-secrets.js';
import { awsClientConfig } from '../../../../shared/composition/aws-client-config.js';
import { createLogger } from '../../../../shared/observability/logger.js';
import type { Logger } from '../../../../shared/ports/logger.js';
import {
  type SecretsManagerEmulator,
  startSecretsManagerEmulator,
} from '../../../../tools/local-aws/secrets-manager/secrets-manager-emulator.js';
import { startTestUpstash } from '../../../support/upstash.js';

const token = `upstash-token-${randomBytes(12).toString('hex')}`;
const password = `db-password-${randomBytes(12).toString('hex')}`;
const SECRET_VALUES = [token, password];

/** A real pino logger from shared/observability/logger.ts, writing its JSON lines into memory. */
function capturedLogger(): { logger: Logger; output: () => string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('debug', sink), output: () => lines.join('') };
}

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
const expectNoSecretIn = (output: string) => {
  for (const value of SECRET_VALUES) expect(output).not.toContain(value);
};

describe('secret values never reach a log line', () => {
  let sm: SecretsManagerEmulator;
  beforeAll(async () => {
    sm = await startSecretsManagerEmulator({
      secrets: {
        'app/upstash-token': token,
        'app/db': { username: 42, password },
        'app/db-text': `not json ${password}`,
      },
    });
  });
  afterAll(async () => {
    await sm?.close();
  });

  it('failures of every secrets adapter, logged as the app logs errors', async () => {
    const { logger, output } = capturedLogger();
    const ids = { upstashToken: 'app/upstash-token', db: 'app/db', dbText: 'app/db-text', gone: 'app/gone' };
    const manager = createSecretsManagerSecrets({
      secretIds: ids,
      clientConfig: awsClientConfig('us-east-1', sm.url),
    });
    const unreachable = createSecretsManagerSecrets({
      secretIds: ids,
      clientConfig: { ...awsClientConfig('us-east-1', 'http://127.0.0.1:1'), maxAttempts: 1 },
    });
    const schema = z.object({ username: z.string(), password: z.string() });
    try {
      expect(await manager.get('upstashToken')).toBe(token); // the value is really there to leak
      logger.error({ err: await errorOf(manager.get('gone')) }, 'secret missing');
      logger.error({ err: await errorOf(unreachable.get('upstashToken')) }, 'secrets manager down');
      logger.error({ err: await errorOf(readJsonSecret(manager, 'db', schema)) }, 'bad shape');
      logger.error({ err: await errorOf(readJsonSecret(manager, 'dbText', schema)) }, 'not json');
      logger.error({ err: await errorOf(createEnvSecrets({}).get('upstashToken')) }, 'not configured');

      // Lambda: a failed invocation and a stale refresh, as the handler's error log would show them.
      const stale: unknown[] = [];
      const options = middySecretsOptions({
        secretIds: { upstashToken: 'app/upstash-token', gone: 'app/gone' },
        awsClientOptions: awsClientConfig('us-east-1', sm.url),
        cacheKey: `test-${randomUUID()}`,
        onStaleServed: (error) => stale.push(error),
      });
      const handler = middy(async () => 'ok').use(secretsManager(options));
      const failed = await errorOf(handler({}, {} as never));
      logger.error({ err: failed, cause: (failed as { cause?: unknown }).cause }, 'invocation failed');
    } finally {
      manager.close();
      unreachable.close();
    }
    expect(output()).toContain('secret missing');
    expectNoSecretIn(output());
  });

  it('Upstash failures (wrong token, service gone) logged through withFailOpen', async () => {
    const { logger, output } = capturedLogger();
    const upstash = await startTestUpstash();
    try {
      // The client holds the secret token; the emulator expects another one: 401.
      const cache = withFailOpen(createUpstashCache({ url: upstash.url, token, timeoutMs: 1_000 }), {
        logger,
        warnIntervalMs: 0,
      });
      expect(await cache.get('k')).toBeNull();
      await upstash.close();
      expect(await cache.get('k')).toBeNull();
    } finally {
      await upstash.close();
    }
    expect(output()).toMatch(/Unauthorized/);
    expectNoSecretIn(output());
  });

  it('the token and password fields the logger redacts', () => {
    const { logger, output } = capturedLogger();
    logger.info({ token }, 'top-level token');
    logger.info({ password }, 'top-level password');
    logger.info({ db: { password } }, 'nested password');
    logger.info({ headers: { authorization: `Bearer ${token}` } }, 'request headers');
    logger.info({ upstash: { authorization: `Bearer ${token}` } }, 'nested authorization');
    expect(output()).toContain('[redacted]');
    expectNoSecretIn(output());
  });

  it('a token inside a logged config ({ cache: { token: { value } } })', () => {
    const { logger, output } = capturedLogger();
    logger.info(
      { cache: { kind: 'upstash', url: 'https://x.upstash.io', token: { value: token } } },
      'config',
    );
    expectNoSecretIn(output());
  });

  it('a Lambda context logged whole after setToContext', () => {
    const { logger, output } = capturedLogger();
    logger.info({ context: { awsRequestId: 'r-1', upstashToken: token } }, 'invocation');
    expectNoSecretIn(output());
  });
});
