import path from 'node:path';
import type { AuthConfig, CacheConfig, SecretsConfig, StoreConfig } from './config-types.js';
import type { Env } from './env-schema.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function require(e: Env, needs: (keyof Env)[], because: string): void {
  const missing = needs.filter((name) => e[name] === undefined);
  if (missing.length > 0) throw new ConfigError(`${because} needs ${missing.join(', ')}.`);
}

export function storeKind(e: Env): StoreConfig['kind'] {
  return e.STORE ?? (e.DATA_API_RESOURCE_ARN ? 'data-api' : e.DATABASE_URL ? 'pg' : 'pglite');
}

export function storeConfig(e: Env, dataDir: string, resolve: (p: string) => string): StoreConfig {
  const kind = storeKind(e);
  if (kind === 'pglite') {
    const dir = e.PGLITE_DIR ?? path.join(dataDir, 'pglite');
    return { kind, dataDir: dir === 'memory://' ? dir : resolve(dir) };
  }
  if (kind === 'pg') {
    require(e, ['DATABASE_URL'], 'STORE=pg (postgres://user@host:5432/db)');
    return {
      kind,
      url: e.DATABASE_URL as string,
      passwordSecretId: e.DATABASE_PASSWORD_SECRET_ID,
      poolMax: e.PG_POOL_MAX,
      idleTimeoutMs: e.PG_IDLE_TIMEOUT_MS,
      connectTimeoutMs: e.PG_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.PG_STATEMENT_TIMEOUT_MS,
      queryTimeoutMs: e.PG_QUERY_TIMEOUT_MS,
    };
  }
  require(e, ['DATA_API_RESOURCE_ARN', 'DATA_API_SECRET_ARN', 'DATA_API_DATABASE'], 'STORE=data-api');
  return {
    kind,
    resourceArn: e.DATA_API_RESOURCE_ARN as string,
    secretArn: e.DATA_API_SECRET_ARN as string,
    database: e.DATA_API_DATABASE as string,
    endpoint: e.DATA_API_ENDPOINT,
    region: e.AWS_REGION,
  };
}

export function cacheConfig(e: Env): CacheConfig {
  const kind = e.CACHE ?? (e.UPSTASH_REDIS_REST_URL ? 'upstash' : e.REDIS_URL ? 'redis' : 'memory');
  if (kind === 'memory') return { kind, maxEntries: e.CACHE_MAX_ENTRIES };
  if (kind === 'redis') {
    require(e, ['REDIS_URL'], 'CACHE=redis (redis://host:6379)');
    return { kind, url: e.REDIS_URL as string, keyPrefix: e.CACHE_KEY_PREFIX };
  }
  require(e, ['UPSTASH_REDIS_REST_URL'], 'CACHE=upstash');
  if (!e.UPSTASH_TOKEN_SECRET_ID) {
    require(e, ['UPSTASH_REDIS_REST_TOKEN'], 'CACHE=upstash without UPSTASH_TOKEN_SECRET_ID');
  }
  const token = e.UPSTASH_TOKEN_SECRET_ID
    ? { secretId: e.UPSTASH_TOKEN_SECRET_ID }
    : { value: e.UPSTASH_REDIS_REST_TOKEN as string };
  return { kind, url: e.UPSTASH_REDIS_REST_URL as string, token, keyPrefix: e.CACHE_KEY_PREFIX };
}

export function secretsConfig(e: Env): SecretsConfig {
  const needsManager = e.UPSTASH_TOKEN_SECRET_ID !== undefined || e.DATABASE_PASSWORD_SECRET_ID !== undefined;
  const kind = e.SECRETS ?? (needsManager ? 'secrets-manager' : 'env');
  if (kind === 'env') return { kind };
  return {
    kind,
    endpoint: e.SECRETS_MANAGER_ENDPOINT,
    region: e.AWS_REGION,
    cacheSeconds: e.SECRETS_CACHE_SECONDS,
  };
}

const DEV_ISSUER = 'pettracker-dev';
const DEV_AUDIENCE = 'pettracker';

export function authConfig(e: Env, dataDir: string): AuthConfig {
  const limits = {
    maxLifetimeSeconds: e.JWT_MAX_LIFETIME_SECONDS,
    clockSkewSeconds: e.JWT_CLOCK_SKEW_SECONDS,
  };
  if (e.JWT_JWKS_URL) {
    require(e, ['JWT_ISSUER', 'JWT_AUDIENCE'], 'JWT_JWKS_URL');
    return {
      kind: 'jwks',
      jwksUrl: e.JWT_JWKS_URL,
      jwksMaxAgeSeconds: e.JWT_JWKS_MAX_AGE_SECONDS,
      limits,
      issuer: e.JWT_ISSUER as string,
      audience: e.JWT_AUDIENCE as string,
    };
  }
  // A dev key pair signs anyone's tokens: never let production fall back to it silently.
  if (e.NODE_ENV === 'production') {
    throw new ConfigError('NODE_ENV=production needs JWT_JWKS_URL, JWT_ISSUER and JWT_AUDIENCE.');
  }
  return {
    kind: 'dev',
    keyFile: path.join(dataDir, 'dev-jwt-key.json'),
    limits,
    issuer: e.JWT_ISSUER ?? DEV_ISSUER,
    audience: e.JWT_AUDIENCE ?? DEV_AUDIENCE,
  };
}
