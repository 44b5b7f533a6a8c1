import { randomBytes } from 'node:crypto';
import { type DataApiEmulator, startDataApiEmulator } from './data-api/server.js';
import {
  type SecretsManagerEmulator,
  startSecretsManagerEmulator,
} from './secrets-manager/secrets-manager-emulator.js';
import { startUpstashEmulator, type UpstashEmulator } from './upstash/upstash-emulator.js';

export interface LocalAwsOptions {
  /** The PostgreSQL server behind the Data API emulator; PGlite (under pgliteDir, or in memory) when absent. */
  postgresUrl?: string;
  pgliteDir?: string;
  /** The database the API names in its Data API requests. */
  database: string;
  redisUrl: string;
  ports?: { dataApi?: number; upstash?: number; secretsManager?: number };
}

export interface LocalAws {
  dataApi: DataApiEmulator;
  upstash: UpstashEmulator;
  secretsManager: SecretsManagerEmulator;
  /** The API's configuration for the production adapters, pointed at these emulators. */
  env: Record<string, string>;
  close(): Promise<void>;
}

const ARNS = {
  cluster: 'arn:aws:rds:us-east-1:000000000000:cluster:pettracker-local',
  dbSecret: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:pettracker/local/db-AbCdEf',
};
export const UPSTASH_TOKEN_SECRET_ID = 'pettracker/local/upstash-token';

/**
 * The Lambda deployment's three AWS-side services on this machine: the RDS Data API over the local
 * PostgreSQL (or PGlite), Upstash REST over the local Redis, and Secrets Manager holding the Upstash
 * token, the way production keeps it. Used by `npm run dev:aws-local` and by the tests.
 */
export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const token = randomBytes(24).toString('base64url');
  const host = '127.0.0.1';
  const dataApi = await startDataApiEmulator({
    host,
    port: options.ports?.dataApi ?? 0,
    ...(options.postgresUrl
      ? { databaseUrl: options.postgresUrl }
      : { pglite: { dataDir: options.pgliteDir } }),
  });
  const upstash = await startUpstashEmulator({
    host,
    port: options.ports?.upstash ?? 0,
    redisUrl: options.redisUrl,
    token,
  });
  const secretsManager = await startSecretsManagerEmulator({
    host,
    port: options.ports?.secretsManager ?? 0,
    secrets: { [UPSTASH_TOKEN_SECRET_ID]: token },
  });
  return {
    dataApi,
    upstash,
    secretsManager,
    env: {
      STORE: 'data-api',
      DATA_API_RESOURCE_ARN: ARNS.cluster,
      DATA_API_SECRET_ARN: ARNS.dbSecret,
      DATA_API_DATABASE: options.database,
      DATA_API_ENDPOINT: dataApi.url,
      CACHE: 'upstash',
      UPSTASH_REDIS_REST_URL: upstash.url,
      UPSTASH_TOKEN_SECRET_ID,
      SECRETS: 'secrets-manager',
      SECRETS_MANAGER_ENDPOINT: secretsManager.url,
    },
    async close() {
      await Promise.allSettled([dataApi.close(), upstash.close(), secretsManager.close()]);
    },
  };
}
