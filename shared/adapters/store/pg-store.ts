import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { type MigrationRunResult, runMigrations } from '../../migrations/run-migrations.js';
import type { Logger } from '../../ports/logger.js';
import { authRetryingDatabase, isAuthenticationFailure } from './auth-retrying-database.js';
import { pgDatabase } from './pg-database.js';
import { SqlPredictionStore } from './sql-prediction-store.js';

/** Where a rotating password comes from (the Secrets port, cached and refreshed by its adapter). */
export interface PgPassword {
  /** The password for the next new connection: node-postgres asks for each one. */
  current(): Promise<string>;
  /** Fetches it again, past the cache: called after the server refused it (28P01). */
  refresh(): Promise<string>;
}

export interface PgStoreOptions {
  /** postgres://user:pass@host:5432/db; add ?sslmode=require for RDS. */
  connectionString: string;
  /**
   * When given, every new connection (pooled or the migration one) takes its password from here and
   * the connection string's own password is ignored, so a rotated secret is used without a restart.
   */
  password?: PgPassword;
  /** Per process. Instances x poolMax must stay below the server's max_connections. Default 10. */
  poolMax?: number;
  /** Idle clients are closed after this. Default 10 000 ms (node-postgres' own default). */
  idleTimeoutMs?: number;
  /**
   * Opening a connection, or waiting for a free one, gives up after this. node-postgres waits forever by
   * default; a request should fail instead. Default 5 000 ms.
   */
  connectionTimeoutMs?: number;
  /**
   * Server-side statement_timeout. Default 10 000 ms: a longer query only holds a connection for an
   * answer nobody will read.
   */
  statementTimeoutMs?: number;
  /**
   * Client-side: a query with no answer after this fails (node-postgres' query_timeout), which is all that
   * ends one on a black-holed network, where the server's statement_timeout cannot be heard. Keep it
   * above statementTimeoutMs, so that a merely slow statement is cancelled by the server first, cleanly.
   * Default 12 000 ms.
   */
  queryTimeoutMs?: number;
  /** When given, migrations run first (on their own connection, without the statement timeout). */
  migrationsDir?: string;
  /** Receives errors of idle pooled clients (e.g. a database failover). */
  logger?: Logger;
}

/** PredictionStore on a node-postgres Pool (Beanstalk, or any long-running server). */
export async function openPgStore(options: PgStoreOptions): Promise<SqlPredictionStore> {
  if (options.migrationsDir !== undefined)
    await migratePostgres(options.connectionString, options.migrationsDir, options.password);
  const pool = new pg.Pool({
    ...connectionConfig(options.connectionString, options.password),
    max: options.poolMax ?? 10,
    idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    query_timeout: options.queryTimeoutMs ?? 12_000,
    application_name: 'pettracker',
  });
  // Without a listener, an error on an idle client (server restart, failover) is an unhandled
  // 'error' event and kills the process; the pool already discards that client.
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle PostgreSQL client failed'));
  const db = pgDatabase(pool);
  const password = options.password;
  return new SqlPredictionStore(
    password ? authRetryingDatabase(db, () => password.refresh(), options.logger) : db,
  );
}

/**
 * node-postgres lets a connection string's fields override the other options, its empty password
 * included: with a password source the string is parsed here and its password dropped instead.
 */
function connectionConfig(connectionString: string, password: PgPassword | undefined): pg.ClientConfig {
  if (!password) return { connectionString };
  const { password: _fromUrl, ...config } = parseIntoClientConfig(connectionString);
  return { ...config, password: () => password.current() };
}

/**
 * Runs migrations on a dedicated single connection. Not through the store's pool: its
 * statement_timeout would cut long DDL short, and would also abort a runner that is merely waiting
 * for the migration lock while another one applies a long migration.
 */
export async function migratePostgres(
  connectionString: string,
  migrationsDir: string,
  password?: PgPassword,
): Promise<MigrationRunResult> {
  try {
    return await migrateOnce(connectionString, migrationsDir, password);
  } catch (error) {
    if (!password || !isAuthenticationFailure(error)) throw error;
    await password.refresh();
    return migrateOnce(connectionString, migrationsDir, password);
  }
}

async function migrateOnce(
  connectionString: string,
  migrationsDir: string,
  password: PgPassword | undefined,
): Promise<MigrationRunResult> {
  const client = new pg.Client({
    ...connectionConfig(connectionString, password),
    application_name: 'pettracker-migrate',
    connectionTimeoutMillis: 10_000,
  });
  // A dropped connection also rejects the pending query, which is where the run reports it.
  client.on('error', () => undefined);
  await client.connect();
  const db = pgDatabase(client);
  try {
    return await runMigrations(db, migrationsDir);
  } finally {
    await db.close();
  }
}
