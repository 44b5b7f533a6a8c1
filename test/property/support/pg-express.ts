import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTempDatabase, type TempDatabase } from '../../support/services.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { type ClaimsTokens, claimsTokens } from './claims-tokens.js';

export interface ExpressOnStore {
  app: TestApp;
  tokens: ClaimsTokens;
  /** The temp database's URL (STORE=pg only). */
  databaseUrl: string | undefined;
  close(): Promise<void>;
}

/**
 * The Express runtime on the real PostgreSQL (a fresh temp database, migrated on start) or on
 * PGlite, with its own data directory so tests can sign tokens with any claims using its dev key.
 */
export async function startExpressOn(
  store: 'pg' | 'pglite',
  env: Record<string, string> = {},
): Promise<ExpressOnStore> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pettracker-prop-'));
  let database: TempDatabase | undefined;
  if (store === 'pg') database = await createTempDatabase();
  const storeEnv: Record<string, string> = database
    ? { STORE: 'pg', DATABASE_URL: database.url, MIGRATE_ON_START: 'true', PG_POOL_MAX: '4' }
    : { STORE: 'pglite', PGLITE_DIR: 'memory://' };
  const app = await startTestApp({ DATA_DIR: dataDir, CACHE: 'memory', ...storeEnv, ...env });
  return {
    app,
    tokens: await claimsTokens(dataDir),
    databaseUrl: database?.url,
    async close() {
      await app.close();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
