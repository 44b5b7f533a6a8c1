import { z } from 'zod';

/** The bundled breed model, served when MODEL_URI is unset. */
export const DEFAULT_MODEL_URI = 'models/pets-mobilenet-v1';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const text = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const flag = z.enum(['true', 'false']).optional();

/**
 * Every environment variable the service reads. The descriptions are the configuration reference:
 * `npm run docs` writes them into docs/configuration.md (a test fails when that file is stale).
 */
export const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe(
      '`production` refuses to start without `JWT_JWKS_URL`, `JWT_ISSUER` and `JWT_AUDIENCE` (no dev key in production).',
    ),
  PORT: int(0, 65535).default(8080).describe('HTTP port (Beanstalk sets it).'),
  HOST: z.string().default('0.0.0.0').describe('Interface to listen on.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino level.'),
  DATA_DIR: z
    .string()
    .default('.data')
    .describe(
      'Local state: PGlite data, dev JWT key, downloaded models. A relative path resolves from the repository root.',
    ),
  AWS_REGION: z
    .string()
    .default('us-east-1')
    .describe('Region of the AWS clients (Data API, Secrets Manager, S3).'),

  STORE: z
    .enum(['pglite', 'pg', 'data-api'])
    .optional()
    .describe(
      'Store adapter. Unset: `data-api` if `DATA_API_RESOURCE_ARN` is set, else `pg` if `DATABASE_URL` is set, else `pglite`.',
    ),
  DATABASE_URL: text.describe(
    'PostgreSQL for the pg Pool adapter (`?sslmode=require` for RDS); may omit the password.',
  ),
  DATABASE_PASSWORD_SECRET_ID: text.describe(
    "Secrets Manager secret holding the database password (plain, or RDS's JSON with `password`).",
  ),
  PGLITE_DIR: text.describe(
    'PGlite data directory (`memory://` for a throw-away database). Unset: `$DATA_DIR/pglite`.',
  ),
  MIGRATE_ON_START: flag.describe(
    'Apply pending migrations at start; deployed databases are migrated once per deploy instead. Unset: `true` for PGlite, else `false`.',
  ),
  PG_POOL_MAX: int(1, 1000).default(10).describe('Pool size per process.'),
  PG_IDLE_TIMEOUT_MS: int(0, 3_600_000).default(10_000).describe('Idle client lifetime.'),
  PG_CONNECT_TIMEOUT_MS: int(100, 120_000)
    .default(5_000)
    .describe(
      'Give up opening a connection, or waiting for a free one in the pool, after this: then 503 `STORE_UNAVAILABLE`.',
    ),
  PG_STATEMENT_TIMEOUT_MS: int(100, 600_000)
    .default(10_000)
    .describe("The server's `statement_timeout`: a longer statement is cancelled, and answered with 503."),
  // Above the statement timeout, so a merely slow statement is cancelled by the server first, cleanly.
  PG_QUERY_TIMEOUT_MS: int(100, 600_000)
    .default(12_000)
    .describe(
      'A query with no answer after this fails on the client (503), which is all that ends one on a black-holed network. Keep it above `PG_STATEMENT_TIMEOUT_MS`.',
    ),
  DATA_API_RESOURCE_ARN: text.describe('Aurora cluster ARN for the RDS Data API store.'),
  DATA_API_SECRET_ARN: text.describe(
    'ARN of the secret the Data API uses to log in (the Data API reads it, not this service).',
  ),
  DATA_API_DATABASE: text.describe('Database name on the cluster.'),
  DATA_API_ENDPOINT: text.describe(
    "Endpoint override (the local emulator: `http://127.0.0.1:4010`). Unset: AWS's.",
  ),
  // 30 s: an Aurora Serverless v2 cluster paused at zero capacity takes about 15 s to resume. At most
  // 50 s: Beanstalk's nginx and load balancer give up at 60 s, and the request needs room besides. At
  // least 1 s: it bounds every call, also the first of a process (TLS, credentials).
  STORE_RETRY_BUDGET_MS: int(1_000, 50_000)
    .default(30_000)
    .describe(
      "The deadline of every Data API store call: it retries Aurora resuming, throttling, 5xx and lost connections, and waits for an answer, this long at most (on Lambda, also no longer than the invocation's remaining time less 500 ms); then 503 `STORE_UNAVAILABLE` with `Retry-After`.",
    ),

  CACHE: z
    .enum(['memory', 'redis', 'upstash'])
    .optional()
    .describe(
      'Cache adapter. Unset: `upstash` if `UPSTASH_REDIS_REST_URL` is set, else `redis` if `REDIS_URL` is set, else `memory`.',
    ),
  REDIS_URL: text.describe('`redis://host:6379` (ElastiCache: `rediss://`).'),
  UPSTASH_REDIS_REST_URL: text.describe('Upstash REST endpoint.'),
  UPSTASH_REDIS_REST_TOKEN: text.describe('Its token, given directly (local use).'),
  UPSTASH_TOKEN_SECRET_ID: text.describe(
    'Or: the Secrets Manager secret holding the Upstash token (deployments).',
  ),
  // Lets stages (or test runs) share one Redis without reading each other's entries.
  CACHE_KEY_PREFIX: z
    .string()
    .max(100)
    .default('pettracker:')
    .describe('Prefix of every cache key, so stages can share one Redis.'),
  CACHE_TTL_SECONDS: int(1, 30 * 24 * 3600)
    .default(3600)
    .describe('Lifetime of a cached prediction.'),
  CACHE_TIMEOUT_MS: int(1, 10_000)
    .default(100)
    .describe('A cache call slower than this is skipped (the request goes on without the cache).'),
  CACHE_MAX_ENTRIES: int(1, 10_000_000).default(10_000).describe('In-memory cache size.'),
  // A cached prediction is ~1 KB of JSON: 1000 entries bound the tier to about a megabyte per process.
  CACHE_LOCAL_ENTRIES: int(0, 1_000_000)
    .default(1000)
    .describe(
      'With Redis or Upstash: recent cached predictions also kept in each process, so a repeated image costs no round trip (0: none).',
    ),

  SECRETS: z
    .enum(['env', 'secrets-manager'])
    .optional()
    .describe(
      'Where secret values come from. Unset: `secrets-manager` if a `*_SECRET_ID` is set, else `env`.',
    ),
  SECRETS_MANAGER_ENDPOINT: text.describe("Endpoint override (the local emulator). Unset: AWS's."),
  // 5 minutes: a rotated secret is picked up within that, without a fetch per request.
  SECRETS_CACHE_SECONDS: int(0, 86_400)
    .default(300)
    .describe('How long a fetched secret is reused; a rotated secret is picked up within this.'),

  // The bundled breed model (MobileNet v1 + a head trained on Oxford-IIIT Pet photos, with a pet gate):
  // real answers with no network and no settings. models/placeholder stays for tests needing a tiny one.
  MODEL_URI: z
    .string()
    .default(DEFAULT_MODEL_URI)
    .describe(
      'A directory (a relative path resolves from the repository root), `s3://bucket/prefix`, an `https://` folder URL, or `mobilenet`.',
    ),
  MODEL_CACHE_DIR: text.describe('Where downloaded models are kept. Unset: `$DATA_DIR/models`.'),
  TFJS_BACKEND: z
    .enum(['auto', 'tensorflow', 'wasm', 'cpu'])
    .default('auto')
    .describe('`auto` (tfjs-node if installed, else wasm, else cpu), or force one.'),
  // One inference holds one core (the wasm backend runs one thread in Node): a worker per core puts
  // every vCPU of a Beanstalk instance to work on cache misses. Lambda ignores it (one request per invocation).
  MODEL_WORKERS: int(0, 256)
    .optional()
    .describe(
      'Server runtime: worker threads that each load the model and classify cache misses in parallel, each ended and replaced if it does not answer within 10 s. `0`: one model in the serving thread. Unset: the available cores (`os.availableParallelism()`). Lambda always runs one in-process model.',
    ),
  // 5 MiB: about what a synchronous Lambda invocation can carry once base64 has grown it by a third.
  MAX_IMAGE_BYTES: int(1, 100 * 1024 * 1024)
    .default(5 * 1024 * 1024)
    .describe('Largest accepted image, in bytes (the default is 5 MiB).'),
  // 40 megapixels: above any phone camera; guards against decompression bombs.
  MAX_IMAGE_PIXELS: int(1, 1_000_000_000)
    .default(40_000_000)
    .describe('Largest accepted width × height, checked from the header before decoding.'),
  DEFAULT_TOP_K: int(1, 10).default(3).describe('Breeds returned when `topK` is not given.'),
  JWT_JWKS_URL: z
    .url()
    .optional()
    .describe(
      'JWKS of the identity provider, e.g. `https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json`. Unset: the local dev key signs and verifies tokens.',
    ),
  JWT_ISSUER: text.describe(
    'Required `iss`; must be set with `JWT_JWKS_URL`. Unset with the dev key: `pettracker-dev`.',
  ),
  JWT_AUDIENCE: text.describe(
    'Required `aud` (Cognito: the app client id); must be set with `JWT_JWKS_URL`. Unset with the dev key: `pettracker`.',
  ),
  // A day: the longest an Amazon Cognito ID or access token can be made to live.
  JWT_MAX_LIFETIME_SECONDS: int(60, 30 * 24 * 3600)
    .default(24 * 3600)
    .describe(
      'Longest token lifetime accepted: `exp` − `iat`, or `exp` − now for a token without `iat`; a longer-lived token (`exp: 1e20`) is a 401.',
    ),
  JWT_CLOCK_SKEW_SECONDS: int(0, 3600)
    .default(60)
    .describe(
      "How far a token's `iat` and `nbf` may be ahead of this server's clock (a token issued further ahead is a 401); `exp` is held to the second.",
    ),
  // Five minutes: with the 60 s verified-token memo, a key removed from the JWKS stops verifying within six.
  JWT_JWKS_MAX_AGE_SECONDS: int(30, 24 * 3600)
    .default(300)
    .describe(
      'With `JWT_JWKS_URL`: how long a fetched key set is used before it is fetched again. A key removed from the JWKS stops verifying within this plus 60 s; a token with an unknown `kid` makes a refetch at once (at most one per 30 s).',
    ),
  // Lambda behind API Gateway's JWT authorizer: take the user from the claims the authorizer put on the
  // event (it verified the token). Off by default: without an authorizer in front (serverless-offline
  // fills the claims from any token, unverified) the token must be verified in-process.
  JWT_TRUST_AUTHORIZER_CLAIMS: flag.describe(
    "Lambda: take the user from API Gateway's JWT authorizer claims (`serverless.yml` sets `true`); never where no authorizer verified them. Unset: `false`.",
  ),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000)
    .default(10_000)
    .describe('On SIGTERM, how long in-flight requests may take before connections are closed.'),
});

export type Env = z.infer<typeof envSchema>;
