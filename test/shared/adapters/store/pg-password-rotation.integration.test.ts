import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSecretsManagerSecrets,
  type SecretsManagerSecrets,
} from '../../../../shared/adapters/secrets/secrets-manager-secrets.js';
import { awsClientConfig } from '../../../../shared/composition/aws-client-config.js';
import { openStore } from '../../../../shared/composition/open-store.js';
import { loadConfig } from '../../../../shared/config.js';
import { silentLogger } from '../../../../shared/observability/logger.js';
import type { PredictionStore } from '../../../../shared/ports/prediction-store.js';
import {
  type SecretsManagerEmulator,
  startSecretsManagerEmulator,
} from '../../../../tools/local-aws/secrets-manager/secrets-manager-emulator.js';
import { MIGRATIONS_DIR } from '../../../support/migrations.js';
import { postgresBinDir, type ScramPostgres, startScramPostgres } from './scram-postgres.js';
import { prediction } from './store-contract.js';

const binDir = postgresBinDir();
if (!binDir && process.env.PETTRACKER_REQUIRE_SERVICES === '1') {
  throw new Error('PETTRACKER_REQUIRE_SERVICES=1 but no PostgreSQL server binaries (initdb) are installed');
}

const SECRET_ID = 'pettracker/test/db-password';

/**
 * Beanstalk's pg path against a PostgreSQL that checks passwords (SCRAM), with the password in the
 * Secrets Manager emulator as RDS stores it (JSON with `password`). The role's password changes while
 * the store is open; the store is never rebuilt.
 */
describe.skipIf(!binDir)('pg store: database password rotation without a restart', () => {
  let server: ScramPostgres;
  let sm: SecretsManagerEmulator;
  let clock = 0;
  let secrets: SecretsManagerSecrets;
  let store: PredictionStore;
  const fetches = () =>
    sm.requests.filter((r) => r.operation === 'GetSecretValue' && r.secretId === SECRET_ID).length;
  const rotate = async (password: string, inSecretsManager = true) => {
    await server.admin(`ALTER ROLE app PASSWORD '${password}'`);
    if (inSecretsManager) sm.putSecret(SECRET_ID, { username: 'app', password });
  };
  /**
   * Existing sessions survive a password change: wait until the pool has closed its idle ones
   * (PG_IDLE_TIMEOUT_MS is short here), so the next call must open, and authenticate, a new one.
   */
  const dropConnections = async () => {
    for (let i = 0; i < 100; i += 1) {
      const [row] = await server.admin(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'app'",
      );
      if (row?.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the pool kept its sessions open');
  };

  beforeAll(async () => {
    server = await startScramPostgres(binDir as string);
    await server.admin("CREATE ROLE app LOGIN PASSWORD 'first-password'");
    await server.admin('CREATE DATABASE app OWNER app');
    sm = await startSecretsManagerEmulator();
    sm.putSecret(SECRET_ID, { username: 'app', password: 'first-password' });
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      STORE: 'pg',
      DATABASE_URL: server.urlFor('app', 'app'),
      DATABASE_PASSWORD_SECRET_ID: SECRET_ID,
      MIGRATE_ON_START: 'true',
      PG_IDLE_TIMEOUT_MS: '30',
      MIGRATIONS_DIR,
    });
    // A TTL far longer than the test: only the 28P01 path, not expiry, can pick up a rotation here.
    secrets = createSecretsManagerSecrets({
      secretIds: { databasePassword: SECRET_ID },
      ttlMs: 3_600_000,
      clientConfig: awsClientConfig('us-east-1', sm.url),
      now: () => clock,
    });
    ({ store } = await openStore(config, secrets, silentLogger()));
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    secrets?.close();
    await sm?.close();
    await server?.stop();
  });

  it('is a server that really checks passwords (a wrong one is refused with 28P01)', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: server.port,
      user: 'app',
      database: 'app',
      password: 'wrong',
    });
    await expect(client.connect()).rejects.toMatchObject({ code: '28P01' });
  });

  it('keeps serving across a rotation: a refused login refreshes the secret once and retries', async () => {
    const saved = await store.insert(prediction('user-rotation'));
    expect(saved.created).toBe(true);
    const before = fetches();

    await rotate('second-password');
    await dropConnections();
    clock += 1_000; // past the adapter's minimum refresh interval
    expect(await store.list('user-rotation', 10, null)).toHaveLength(1);
    expect(fetches()).toBe(before + 1);

    // And again: nothing was rebuilt, the same store follows every rotation.
    await rotate('third-password');
    await dropConnections();
    clock += 1_000;
    await store.insert(prediction('user-rotation'));
    expect(await store.list('user-rotation', 10, null)).toHaveLength(2);
    expect(fetches()).toBe(before + 2);
  });

  it('retries only once: a password Secrets Manager does not have yet fails the call with 28P01', async () => {
    await rotate('not-in-the-secret-yet', false);
    await dropConnections();
    clock += 1_000;
    const before = fetches();
    await expect(store.list('user-rotation', 10, null)).rejects.toMatchObject({ code: '28P01' });
    expect(fetches()).toBe(before + 1);

    // Once the secret catches up, the next call recovers by itself.
    sm.putSecret(SECRET_ID, { username: 'app', password: 'not-in-the-secret-yet' });
    clock += 1_000;
    expect(await store.list('user-rotation', 10, null)).toHaveLength(2);
  });

  it('picks up a rotated secret after the cache expires, without a refused login', async () => {
    const expiring = createSecretsManagerSecrets({
      secretIds: { databasePassword: SECRET_ID },
      ttlMs: 60_000,
      clientConfig: awsClientConfig('us-east-1', sm.url),
      now: () => clock,
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      STORE: 'pg',
      DATABASE_URL: server.urlFor('app', 'app'),
      DATABASE_PASSWORD_SECRET_ID: SECRET_ID,
      MIGRATE_ON_START: 'false',
      PG_IDLE_TIMEOUT_MS: '30',
    });
    const { store: second } = await openStore(config, expiring, silentLogger());
    try {
      await second.ping();
      const before = fetches();
      // Secrets Manager's rotation order: the new value is stored, then the database is changed.
      sm.putSecret(SECRET_ID, { username: 'app', password: 'fifth-password' });
      await server.admin("ALTER ROLE app PASSWORD 'fifth-password'");
      await dropConnections();
      clock += 60_000;
      await second.ping();
      // One fetch on expiry; none caused by a failed login.
      expect(fetches()).toBe(before + 1);
    } finally {
      await second.close();
      expiring.close();
    }
  });
});
