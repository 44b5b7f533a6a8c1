import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const text = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const flag = z.enum(['true', 'false']).optional();

/** Every environment variable the service reads; the README's configuration table mirrors this. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('.data'),
  AWS_REGION: z.string().default('us-east-1'),

  STORE: z.enum(['pglite', 'pg', 'data-api']).optional(),
  DATABASE_URL: text,
  DATABASE_PASSWORD_SECRET_ID: text,
  PGLITE_DIR: text,
  MIGRATE_ON_START: flag,
  PG_POOL_MAX: int(1, 1000).default(10),
  PG_IDLE_TIMEOUT_MS: int(0, 3_600_000).default(10_000),
  PG_CONNECT_TIMEOUT_MS: int(100, 120_000).default(5_000),
  DATA_API_RESOURCE_ARN: text,
  DATA_API_SECRET_ARN: text,
  DATA_API_DATABASE: text,
  DATA_API_ENDPOINT: text,
  // 30 s: an Aurora Serverless v2 cluster paused at zero capacity takes about 15 s to resume.
  STORE_RETRY_BUDGET_MS: int(0, 600_000).default(30_000),

  CACHE: z.enum(['memory', 'redis', 'upstash']).optional(),
  REDIS_URL: text,
  UPSTASH_REDIS_REST_URL: text,
  UPSTASH_REDIS_REST_TOKEN: text,
  UPSTASH_TOKEN_SECRET_ID: text,
  // Lets stages (or test runs) share one Redis without reading each other's entries.
  CACHE_KEY_PREFIX: z.string().max(100).default('pettracker:'),
  CACHE_TTL_SECONDS: int(1, 30 * 24 * 3600).default(3600),
  CACHE_TIMEOUT_MS: int(1, 10_000).default(100),
  CACHE_MAX_ENTRIES: int(1, 10_000_000).default(10_000),

  SECRETS: z.enum(['env', 'secrets-manager']).optional(),
  SECRETS_MANAGER_ENDPOINT: text,
  // 5 minutes: a rotated secret is picked up within that, without a fetch per request.
  SECRETS_CACHE_SECONDS: int(0, 86_400).default(300),

  // The bundled breed model (MobileNet v1 + a head trained on Oxford-IIIT Pet photos, with a pet gate):
  // real answers with no network and no settings. models/placeholder stays for tests needing a tiny one.
  MODEL_URI: z.string().default('models/pets-mobilenet-v1'),
  MODEL_CACHE_DIR: text,
  TFJS_BACKEND: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  // 5 MiB: about what a synchronous Lambda invocation can carry once base64 has grown it by a third.
  MAX_IMAGE_BYTES: int(1, 100 * 1024 * 1024).default(5 * 1024 * 1024),
  // 40 megapixels: above any phone camera; guards against decompression bombs.
  MAX_IMAGE_PIXELS: int(1, 1_000_000_000).default(40_000_000),
  DEFAULT_TOP_K: int(1, 10).default(3),
  JWT_JWKS_URL: z.url().optional(),
  JWT_ISSUER: text,
  JWT_AUDIENCE: text,
  // Lambda behind API Gateway's JWT authorizer: take the user from the claims the authorizer put on the
  // event (it verified the token). Off by default: without an authorizer in front (serverless-offline
  // fills the claims from any token, unverified) the token must be verified in-process.
  JWT_TRUST_AUTHORIZER_CLAIMS: flag,
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
});

export type Env = z.infer<typeof envSchema>;
