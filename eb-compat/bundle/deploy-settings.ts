import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { envSchema } from '../../shared/config/env-schema.js';

/**
 * The Elastic Beanstalk platform branch the bundle is built for (esbuild target node22): chosen when the
 * environment is created (`eb create --platform "<this>"`, or the console), not by the bundle itself.
 */
export const BEANSTALK_PLATFORM = 'Node.js 22 running on 64bit Amazon Linux 2023';

/** The service's own defaults (PG_POOL_MAX, MAX_IMAGE_BYTES, ...), so they are stated once. */
const defaults = envSchema.parse({});

const noPassword = (value: string) => URL.canParse(value) && new URL(value).password === '';
const secretRef = z
  .string()
  // RDS-managed secrets are named rds!db-<id> or rds!cluster-<id>.
  .regex(/^[\w/+=.@:!-]{1,512}$/, 'the NAME or ARN of a Secrets Manager secret, never its value');

const pgStore = z.strictObject({
  kind: z.literal('pg'),
  /** postgres://user@endpoint:5432/db?sslmode=verify-full: host, user and database, no password. */
  url: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
    .refine(noPassword, 'must not contain the password: name its secret in passwordSecretId'),
  passwordSecretId: secretRef,
  poolMax: z.number().int().min(1).max(1000).default(defaults.PG_POOL_MAX),
  idleTimeoutMs: z.number().int().min(0).default(defaults.PG_IDLE_TIMEOUT_MS),
  connectTimeoutMs: z.number().int().min(100).default(defaults.PG_CONNECT_TIMEOUT_MS),
  /** PEM bundle of the RDS certificate authorities, copied into the bundle (see README). */
  caBundleFile: z.string().optional(),
});

const dataApiStore = z.strictObject({
  kind: z.literal('data-api'),
  resourceArn: z.string().regex(/^arn:aws[\w-]*:rds:/, 'an Aurora cluster ARN'),
  secretArn: z.string().regex(/^arn:aws[\w-]*:secretsmanager:/, 'a Secrets Manager secret ARN'),
  database: z.string().min(1),
});

/**
 * What differs per deployment: where the externally owned database and the ElastiCache endpoint are,
 * and the names of the secrets. These become the environment's option settings, so nothing here may
 * be a secret value; the schema refuses a password inside a URL.
 */
export const deploySettingsSchema = z.strictObject({
  /** Only the branch the bundle is compiled for; the Node.js 20 branches are past end of life. */
  platform: z.literal(BEANSTALK_PLATFORM).default(BEANSTALK_PLATFORM),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1'),
  store: z.discriminatedUnion('kind', [pgStore, dataApiStore]),
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .refine(noPassword, 'must not contain a password'),
  cacheKeyPrefix: z.string().max(100).default(defaults.CACHE_KEY_PREFIX),
  auth: z.strictObject({ jwksUrl: z.url(), issuer: z.string().min(1), audience: z.string().min(1) }),
  modelUri: z.string().default(defaults.MODEL_URI),
  maxImageBytes: z.number().int().positive().default(defaults.MAX_IMAGE_BYTES),
  logLevel: envSchema.shape.LOG_LEVEL.default('info'),
});

export type DeploySettingsInput = z.input<typeof deploySettingsSchema>;
export type DeploySettings = z.output<typeof deploySettingsSchema>;

export class DeploySettingsError extends Error {
  override name = 'DeploySettingsError';
}

export function parseDeploySettings(input: unknown, source = 'settings'): DeploySettings {
  const parsed = deploySettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new DeploySettingsError(`${source} is invalid:\n${lines.join('\n')}`);
}

export async function readDeploySettings(file: string): Promise<DeploySettings> {
  return parseDeploySettings(JSON.parse(await readFile(file, 'utf8')), file);
}

/** Settings that are valid but will not work on AWS as they stand, for the bundle script to print. */
export function settingsWarnings(s: DeploySettings): string[] {
  const warnings: string[] = [];
  if (s.store.kind === 'pg') {
    const sslmode = new URL(s.store.url).searchParams.get('sslmode');
    // RDS for PostgreSQL 15+ refuses unencrypted clients; node-postgres verifies the server's
    // certificate for require/verify-ca/verify-full, and Node does not ship the RDS authorities.
    if (!sslmode)
      warnings.push('store.url has no sslmode: RDS for PostgreSQL 15+ refuses plain connections.');
    else if (!s.store.caBundleFile && !['disable', 'no-verify'].includes(sslmode))
      warnings.push(
        `store.caBundleFile is not set: sslmode=${sslmode} needs the RDS CA bundle (docs/deploy-beanstalk.md, step 3).`,
      );
  }
  if (/\.example\b|EXAMPLE/.test(JSON.stringify(s)))
    warnings.push('these are example settings: not deployable.');
  return warnings;
}
