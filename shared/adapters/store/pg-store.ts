import pg from 'pg';
import { type MigrationRunResult, runMigrations } from '../../migrations/run-migrations.js';
import type { Logger } from '../../ports/logger.js';
import { pgDatabase } from './pg-database.js';
import { SqlPredictionStore } from './sql-prediction-store.js';

export interface PgStoreOptions {
  /** postgres://user:pass@host:5432/db; add ?sslmode=require for RDS. */
  connectionString: string;
  /** Per process. Instances x poolMax must stay below the server's max_connections. Default 10. */
  poolMax?: number;
  /** Idle clients are closed after this. Default 10 000 ms (node-postgres' own default). */
  idleTimeoutMs?: number;
  /** node-postgres waits forever by default; a request should fail instead. Default 5 000 ms. */
  connectionTimeoutMs?: number;
  /**
   * Server-side statement_timeout. Default 10 000 ms: API Gateway gives up on the request at 30 s,
   * so a longer query only holds a connection for an answer nobody will read.
   */
  statementTimeoutMs?: number;
  /** When given, migrations run first (on their own connection, without the statement timeout). */
  migrationsDir?: string;
  /** Receives errors of idle pooled clients (e.g. a database failover). */
  logger?: Logger;
}

/** PredictionStore on a node-postgres Pool (Beanstalk, or any long-running server). */
export async function openPgStore(options: PgStoreOptions): Promise<SqlPredictionStore> {
  if (options.migrationsDir !== undefined)
    await migratePostgres(options.connectionString, options.migrationsDir);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolMax ?? 10,
    idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    application_name: 'pettracker',
  });
  // Without a listener, an error on an idle client (server restart, failover) is an unhandled
  // 'error' event and kills the process; the pool already discards that client.
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle PostgreSQL client failed'));
  return new SqlPredictionStore(pgDatabase(pool));
}

/**
 * Runs migrations on a dedicated single connection. Not through the store's pool: its
 * statement_timeout would cut long DDL short, and would also abort a runner that is merely waiting
 * for the migration lock while another one applies a long migration.
 */
export async function migratePostgres(
  connectionString: string,
  migrationsDir: string,
): Promise<MigrationRunResult> {
  const client = new pg.Client({
    connectionString,
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
