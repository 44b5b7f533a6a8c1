import type { TokenTimeLimits } from '../adapters/identity/token-claims.js';
import type { Env } from './env-schema.js';

/** A value given directly (local) or the id of the Secrets Manager secret that holds it. */
export type SecretValue = { value: string } | { secretId: string };

export type StoreConfig =
  | { kind: 'pglite'; dataDir: string }
  | {
      kind: 'pg';
      url: string;
      passwordSecretId: string | undefined;
      poolMax: number;
      idleTimeoutMs: number;
      connectTimeoutMs: number;
      statementTimeoutMs: number;
      queryTimeoutMs: number;
    }
  | {
      kind: 'data-api';
      resourceArn: string;
      secretArn: string;
      database: string;
      endpoint: string | undefined;
      region: string;
    };

export type CacheConfig =
  | { kind: 'memory'; maxEntries: number }
  | { kind: 'redis'; url: string; keyPrefix: string }
  | { kind: 'upstash'; url: string; token: SecretValue; keyPrefix: string };

export type AuthConfig = (
  | { kind: 'jwks'; jwksUrl: string; jwksMaxAgeSeconds: number; issuer: string; audience: string }
  | { kind: 'dev'; keyFile: string; issuer: string; audience: string }
) & { limits: TokenTimeLimits };

export type SecretsConfig =
  | { kind: 'env' }
  | { kind: 'secrets-manager'; endpoint: string | undefined; region: string; cacheSeconds: number };

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  store: StoreConfig;
  storeRetryBudgetMs: number;
  cache: CacheConfig;
  cacheTtlSeconds: number;
  cacheTimeoutMs: number;
  /** Entries of the in-process tier in front of Redis or Upstash; 0: none. */
  cacheLocalEntries: number;
  secrets: SecretsConfig;
  model: {
    uri: string;
    cacheDir: string;
    backend: Env['TFJS_BACKEND'];
    /** Model worker threads on the server runtime (MODEL_WORKERS); 0: in-process. */
    workers: number;
  };
  limits: { maxImageBytes: number; maxImagePixels: number; defaultTopK: number; maxTopK: number };
  auth: AuthConfig;
  /** Lambda only: trust API Gateway JWT authorizer claims (JWT_TRUST_AUTHORIZER_CLAIMS). */
  trustAuthorizerClaims: boolean;
  migrationsDir: string;
  /** The embedded default migrates itself; a deployed database is migrated once per deploy instead. */
  migrateOnStart: boolean;
  shutdownTimeoutMs: number;
}
