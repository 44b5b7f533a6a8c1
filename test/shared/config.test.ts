import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';

describe('configuration', () => {
  it('defaults to the embedded adapters', () => {
    const config = loadConfig({});
    expect(config.store.kind).toBe('pglite');
    expect(config.cache.kind).toBe('memory');
    expect(config.secrets.kind).toBe('env');
    expect(config.auth.kind).toBe('dev');
    expect(config.migrateOnStart).toBe(true);
  });

  it.each([
    [
      { STORE: 'data-api' },
      /STORE=data-api needs DATA_API_RESOURCE_ARN, DATA_API_SECRET_ARN, DATA_API_DATABASE/,
    ],
    [{ CACHE: 'upstash' }, /CACHE=upstash needs UPSTASH_REDIS_REST_URL/],
    [{ CACHE: 'upstash', UPSTASH_REDIS_REST_URL: 'https://x' }, /UPSTASH_REDIS_REST_TOKEN/],
    [{ STORE: 'pg' }, /DATABASE_URL/],
    [{ NODE_ENV: 'production' }, /JWT_JWKS_URL/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ MODEL_WORKERS: '-1' }, /MODEL_WORKERS/],
    [{ JWT_MAX_LIFETIME_SECONDS: '0' }, /JWT_MAX_LIFETIME_SECONDS/],
    [{ JWT_CLOCK_SKEW_SECONDS: '-1' }, /JWT_CLOCK_SKEW_SECONDS/],
    [{ JWT_JWKS_MAX_AGE_SECONDS: '1e9' }, /JWT_JWKS_MAX_AGE_SECONDS/],
  ])('fails fast naming what is missing: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('runs a model worker per available core unless MODEL_WORKERS says otherwise', () => {
    expect(loadConfig({}).model.workers).toBe(availableParallelism());
    expect(loadConfig({ MODEL_WORKERS: '0' }).model.workers).toBe(0);
    expect(loadConfig({ MODEL_WORKERS: '3' }).model.workers).toBe(3);
  });

  it('picks the production adapters from their variables, reading the Upstash token from Secrets Manager', () => {
    const config = loadConfig({
      DATA_API_RESOURCE_ARN: 'arn:aws:rds:eu-west-1:1:cluster:c',
      DATA_API_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:s',
      DATA_API_DATABASE: 'pettracker',
      UPSTASH_REDIS_REST_URL: 'https://eu1-x.upstash.io',
      UPSTASH_TOKEN_SECRET_ID: 'pettracker/prod/upstash',
      AWS_REGION: 'eu-west-1',
    });
    expect(config.store).toMatchObject({ kind: 'data-api', database: 'pettracker', region: 'eu-west-1' });
    expect(config.cache).toMatchObject({ kind: 'upstash', token: { secretId: 'pettracker/prod/upstash' } });
    expect(config.secrets).toMatchObject({ kind: 'secrets-manager', cacheSeconds: 300 });
    expect(config.migrateOnStart).toBe(false);
  });

  it('bounds every pg connection attempt and query on the client, with the statement timeout below the query timeout', () => {
    const url = 'postgres://app@db:5432/pettracker';
    expect(loadConfig({ DATABASE_URL: url }).store).toMatchObject({
      kind: 'pg',
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 10_000,
      queryTimeoutMs: 12_000,
    });
    expect(
      loadConfig({ DATABASE_URL: url, PG_STATEMENT_TIMEOUT_MS: '2000', PG_QUERY_TIMEOUT_MS: '3000' }).store,
    ).toMatchObject({ statementTimeoutMs: 2_000, queryTimeoutMs: 3_000 });
    expect(() => loadConfig({ DATABASE_URL: url, PG_QUERY_TIMEOUT_MS: '0' })).toThrow(/PG_QUERY_TIMEOUT_MS/);
  });

  it("refuses a store deadline (STORE_RETRY_BUDGET_MS) that Beanstalk's 60 s proxy timeout would cut short, or that no call could meet", () => {
    expect(loadConfig({}).storeRetryBudgetMs).toBe(30_000);
    expect(loadConfig({ STORE_RETRY_BUDGET_MS: '50000' }).storeRetryBudgetMs).toBe(50_000);
    for (const outside of ['50001', '999']) {
      expect(() => loadConfig({ STORE_RETRY_BUDGET_MS: outside })).toThrow(/STORE_RETRY_BUDGET_MS/);
    }
  });

  it('bounds token lifetimes by default (a day, 60 s of skew) and refetches a JWKS every 5 minutes', () => {
    const limits = { maxLifetimeSeconds: 86_400, clockSkewSeconds: 60 };
    expect(loadConfig({}).auth).toMatchObject({ kind: 'dev', limits });
    const jwks = {
      JWT_JWKS_URL: 'https://cognito-idp.eu-west-1.amazonaws.com/pool/.well-known/jwks.json',
      JWT_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/pool',
      JWT_AUDIENCE: 'client',
    };
    expect(loadConfig(jwks).auth).toMatchObject({ kind: 'jwks', jwksMaxAgeSeconds: 300, limits });
    expect(
      loadConfig({
        ...jwks,
        JWT_MAX_LIFETIME_SECONDS: '3600',
        JWT_CLOCK_SKEW_SECONDS: '0',
        JWT_JWKS_MAX_AGE_SECONDS: '60',
      }).auth,
    ).toMatchObject({ jwksMaxAgeSeconds: 60, limits: { maxLifetimeSeconds: 3600, clockSkewSeconds: 0 } });
  });
});
