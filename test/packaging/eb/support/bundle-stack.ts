import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOrCreateDevKeys, mintDevToken } from '../../../../shared/adapters/identity/dev-keys.js';
import {
  type SecretsManagerEmulator,
  startSecretsManagerEmulator,
} from '../../../../tools/local-aws/secrets-manager/secrets-manager-emulator.js';
import {
  createTempDatabase,
  REDIS_TEST_URL,
  type TempDatabase,
  uniquePrefix,
} from '../../../support/services.js';
import { leaderOnlyCommands, localEnvironment, procfileWeb } from './beanstalk-like.js';
import { TEST_SETTINGS, type UnpackedBundle, unpackedBundle } from './built-bundle.js';
import { type BundleProcess, runInBundle, startInBundle } from './bundle-process.js';

export interface BundleStack {
  bundle: UnpackedBundle;
  db: TempDatabase;
  secrets: SecretsManagerEmulator;
  env: Record<string, string>;
  /** The bundle's leader_only container commands (the migration), run once, in order. */
  migrate(): Promise<{ code: number | null; output: string }>;
  /** The Procfile's web process, ready. */
  start(): Promise<BundleProcess>;
  token(userId: string, options?: { expiresIn?: string; audience?: string }): Promise<string>;
  close(): Promise<void>;
}

/**
 * One unpacked, installed bundle wired to this machine's services as an environment would wire it
 * to AWS: a fresh PostgreSQL database (its password under the secret name the bundle configures, in
 * the Secrets Manager emulator), the local Redis with a prefix of its own, a dev key in DATA_DIR.
 */
export async function bundleStack(): Promise<BundleStack> {
  const bundle = await unpackedBundle({ install: true });
  const db = await createTempDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pettracker-eb-data-'));
  const secretName = TEST_SETTINGS.store.kind === 'pg' ? TEST_SETTINGS.store.passwordSecretId : '';
  // The local server trusts loopback, so any password gets in; what matters is that it is fetched.
  const secrets = await startSecretsManagerEmulator({
    secrets: { [secretName]: { password: 'from-secrets-manager' } },
  });
  const env = await localEnvironment(bundle.dir, {
    databaseUrl: db.url,
    redisUrl: REDIS_TEST_URL,
    secretsEndpoint: secrets.url,
    dataDir,
    keyPrefix: uniquePrefix('eb'),
  });
  const keys = await loadOrCreateDevKeys(path.join(dataDir, 'dev-jwt-key.json'));
  return {
    bundle,
    db,
    secrets,
    env,
    async migrate() {
      let last = { code: 0 as number | null, output: '' };
      for (const command of await leaderOnlyCommands(bundle.dir)) {
        last = await runInBundle(bundle.dir, command, env);
        if (last.code !== 0) return last;
      }
      return last;
    },
    start: async () => startInBundle(bundle.dir, await procfileWeb(bundle.dir), env),
    token: (userId, options) =>
      mintDevToken(keys, userId, {
        issuer: 'pettracker-dev',
        audience: options?.audience ?? 'pettracker',
        expiresIn: options?.expiresIn ?? '1h',
      }),
    async close() {
      await secrets.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
      await bundle.remove();
    },
  };
}
