/**
 * Reaching the real PostgreSQL and Redis from integration tests. They run on this project's machines
 * and in CI; on a laptop without them the integration suites skip (with a message) instead of failing.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

export const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** True when PG_TEST_URL accepts a connection within a second; says why on the console if not. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    console.warn(`PostgreSQL at ${PG_TEST_URL} unreachable, skipping its tests: ${String(error)}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True when REDIS_TEST_URL answers PING within a second; says why on the console if not. */
export async function redisAvailable(): Promise<boolean> {
  const redis = new Redis(REDIS_TEST_URL, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch (error) {
    console.warn(`Redis at ${REDIS_TEST_URL} unreachable, skipping its tests: ${String(error)}`);
    return false;
  } finally {
    redis.disconnect();
  }
}

export interface TempDatabase {
  /** Connection string of the new, empty database. */
  url: string;
  drop(): Promise<void>;
}

/** CREATE DATABASE pettracker_test_<random> next to PG_TEST_URL's database, so test files never share state. */
export async function createTempDatabase(): Promise<TempDatabase> {
  const name = `pettracker_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_TEST_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // WITH (FORCE) ends connections a failed test may have leaked (PostgreSQL 13+).
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A prefix unique to this run, for keys in a shared Redis. */
export function uniquePrefix(label: string): string {
  return `pettracker-test:${label}:${randomBytes(6).toString('hex')}:`;
}
