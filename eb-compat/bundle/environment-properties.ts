import path from 'node:path';
import { loadConfig } from '../../shared/config.js';
import type { DeploySettings } from './deploy-settings.js';
import { BUNDLE_LAYOUT } from './layout.js';

/** Beanstalk's Node.js platform points nginx at 8080; the app listens on PORT. */
export const APP_PORT = '8080';
export const CA_BUNDLE_FILE = `${BUNDLE_LAYOUT.certsDir}/rds-ca-bundle.pem`;

/**
 * The environment properties (aws:elasticbeanstalk:application:environment) for `settings`: the
 * endpoints and the names of secrets, which the service resolves at start-up. Run through the
 * service's own loadConfig here, so a setting the service would reject fails the bundle build
 * instead of the deployment.
 */
export function environmentProperties(settings: DeploySettings): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: APP_PORT,
    LOG_LEVEL: settings.logLevel,
    AWS_REGION: settings.region,
    // Migrations run once per deploy, as a leader_only container command; never on each start.
    MIGRATE_ON_START: 'false',
    CACHE: 'redis',
    REDIS_URL: settings.redisUrl,
    CACHE_KEY_PREFIX: settings.cacheKeyPrefix,
    JWT_JWKS_URL: settings.auth.jwksUrl,
    JWT_ISSUER: settings.auth.issuer,
    JWT_AUDIENCE: settings.auth.audience,
    MODEL_URI: settings.modelUri,
    // Explicit, so a bundle that lost its .wasm files fails its health check instead of quietly
    // serving from the slower pure-JS backend.
    TFJS_BACKEND: 'wasm',
    MAX_IMAGE_BYTES: String(settings.maxImageBytes),
  };
  const s = settings.store;
  if (s.kind === 'pg') {
    Object.assign(env, {
      STORE: 'pg',
      DATABASE_URL: s.url,
      DATABASE_PASSWORD_SECRET_ID: s.passwordSecretId,
      SECRETS: 'secrets-manager',
      PG_POOL_MAX: String(s.poolMax),
      PG_IDLE_TIMEOUT_MS: String(s.idleTimeoutMs),
      PG_CONNECT_TIMEOUT_MS: String(s.connectTimeoutMs),
    });
    // Relative on purpose: the web process runs in /var/app/current, container commands (the
    // migration) in /var/app/staging; both hold the same bundle, so the same relative path works.
    if (s.caBundleFile) env.NODE_EXTRA_CA_CERTS = CA_BUNDLE_FILE;
  } else {
    Object.assign(env, {
      STORE: 'data-api',
      DATA_API_RESOURCE_ARN: s.resourceArn,
      DATA_API_SECRET_ARN: s.secretArn,
      DATA_API_DATABASE: s.database,
    });
  }
  loadConfig(env);
  return env;
}

/** Where the settings' CA bundle goes inside the staging directory, if there is one. */
export function caBundleTarget(stagingDir: string): string {
  return path.join(stagingDir, CA_BUNDLE_FILE);
}
