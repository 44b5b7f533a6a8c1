import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root, from which relative defaults (models/, migrations/, .data/) resolve. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('.data'),
  STORE: z.enum(['pglite', 'pg']).optional(),
  DATABASE_URL: optionalText,
  PGLITE_DIR: optionalText,
  MIGRATE_ON_START: z.enum(['true', 'false']).optional(),
  PG_POOL_MAX: int(1, 1000).default(10),
  PG_IDLE_TIMEOUT_MS: int(0, 3_600_000).default(10_000),
  PG_CONNECT_TIMEOUT_MS: int(100, 120_000).default(5_000),
  CACHE: z.enum(['memory', 'redis']).optional(),
  REDIS_URL: optionalText,
  CACHE_TTL_SECONDS: int(1, 30 * 24 * 3600).default(3600),
  CACHE_TIMEOUT_MS: int(1, 10_000).default(100),
  CACHE_MAX_ENTRIES: int(1, 10_000_000).default(10_000),
  MODEL_URI: z.string().default('models/placeholder'),
  MODEL_CACHE_DIR: optionalText,
  TFJS_BACKEND: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  // 5 MiB: about what a synchronous Lambda invocation can carry once base64 has grown it by a third.
  MAX_IMAGE_BYTES: int(1, 100 * 1024 * 1024).default(5 * 1024 * 1024),
  // 40 megapixels: above any phone camera; guards against decompression bombs.
  MAX_IMAGE_PIXELS: int(1, 1_000_000_000).default(40_000_000),
  DEFAULT_TOP_K: int(1, 10).default(3),
  JWT_JWKS_URL: z.url().optional(),
  JWT_ISSUER: optionalText,
  JWT_AUDIENCE: optionalText,
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  store:
    | { kind: 'pglite'; dataDir: string }
    | { kind: 'pg'; url: string; poolMax: number; idleTimeoutMs: number; connectTimeoutMs: number };
  cache: { kind: 'memory'; maxEntries: number } | { kind: 'redis'; url: string };
  cacheTtlSeconds: number;
  cacheTimeoutMs: number;
  model: { uri: string; cacheDir: string; backend: Env['TFJS_BACKEND'] };
  limits: { maxImageBytes: number; maxImagePixels: number; defaultTopK: number; maxTopK: number };
  auth:
    | { kind: 'jwks'; jwksUrl: string; issuer: string; audience: string }
    | { kind: 'dev'; keyFile: string; issuer: string; audience: string };
  migrationsDir: string;
  /** The embedded default migrates itself; a deployed database is migrated once per deploy instead. */
  migrateOnStart: boolean;
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEV_ISSUER = 'pettracker-dev';
const DEV_AUDIENCE = 'pettracker';

/** Parses the environment once, at start-up, failing fast with the variable's name. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const fromRoot = (p: string) => path.resolve(projectRoot, p);
  const dataDir = fromRoot(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    dataDir,
    store: storeConfig(e, dataDir),
    cache: cacheConfig(e),
    cacheTtlSeconds: e.CACHE_TTL_SECONDS,
    cacheTimeoutMs: e.CACHE_TIMEOUT_MS,
    model: {
      uri:
        /^[a-z0-9]+:\/\//.test(e.MODEL_URI) || e.MODEL_URI === 'mobilenet'
          ? e.MODEL_URI
          : fromRoot(e.MODEL_URI),
      cacheDir: e.MODEL_CACHE_DIR ? fromRoot(e.MODEL_CACHE_DIR) : path.join(dataDir, 'models'),
      backend: e.TFJS_BACKEND,
    },
    limits: {
      maxImageBytes: e.MAX_IMAGE_BYTES,
      maxImagePixels: e.MAX_IMAGE_PIXELS,
      defaultTopK: e.DEFAULT_TOP_K,
      maxTopK: 10,
    },
    auth: authConfig(e, dataDir),
    migrationsDir: fromRoot('migrations'),
    migrateOnStart: e.MIGRATE_ON_START ? e.MIGRATE_ON_START === 'true' : storeKind(e) === 'pglite',
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}

function storeKind(e: Env): 'pglite' | 'pg' {
  return e.STORE ?? (e.DATABASE_URL ? 'pg' : 'pglite');
}

function storeConfig(e: Env, dataDir: string): Config['store'] {
  const kind = storeKind(e);
  if (kind === 'pglite') {
    const dir = e.PGLITE_DIR ?? path.join(dataDir, 'pglite');
    return { kind, dataDir: dir === 'memory://' ? dir : path.resolve(projectRoot, dir) };
  }
  if (!e.DATABASE_URL) throw new ConfigError('STORE=pg needs DATABASE_URL (postgres://user@host:5432/db).');
  return {
    kind,
    url: e.DATABASE_URL,
    poolMax: e.PG_POOL_MAX,
    idleTimeoutMs: e.PG_IDLE_TIMEOUT_MS,
    connectTimeoutMs: e.PG_CONNECT_TIMEOUT_MS,
  };
}

function cacheConfig(e: Env): Config['cache'] {
  const kind = e.CACHE ?? (e.REDIS_URL ? 'redis' : 'memory');
  if (kind === 'memory') return { kind, maxEntries: e.CACHE_MAX_ENTRIES };
  if (!e.REDIS_URL) throw new ConfigError('CACHE=redis needs REDIS_URL (redis://host:6379).');
  return { kind, url: e.REDIS_URL };
}

function authConfig(e: Env, dataDir: string): Config['auth'] {
  if (e.JWT_JWKS_URL) {
    if (!e.JWT_ISSUER || !e.JWT_AUDIENCE) {
      throw new ConfigError('JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE as well.');
    }
    return { kind: 'jwks', jwksUrl: e.JWT_JWKS_URL, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE };
  }
  // A dev key pair signs anyone's tokens: never let production fall back to it silently.
  if (e.NODE_ENV === 'production') {
    throw new ConfigError('NODE_ENV=production needs JWT_JWKS_URL, JWT_ISSUER and JWT_AUDIENCE.');
  }
  return {
    kind: 'dev',
    keyFile: path.join(dataDir, 'dev-jwt-key.json'),
    issuer: e.JWT_ISSUER ?? DEV_ISSUER,
    audience: e.JWT_AUDIENCE ?? DEV_AUDIENCE,
  };
}
