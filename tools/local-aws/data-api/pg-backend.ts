import pg from 'pg';
import { type Backend, checkDatabaseName, type RawResult, type TransactionSession } from './backend.js';

export interface PgBackendOptions {
  /** A server and default database, e.g. postgres://root@127.0.0.1:5432/postgres. */
  databaseUrl: string;
  /** Aurora cuts statements at 45 s; the emulator enforces the same with statement_timeout. */
  statementTimeoutMs: number;
}

/** Every value as PostgreSQL's text, so the field mapping sees exactly what the server sent. */
const RAW_TEXT = { getTypeParser: () => (text: string) => text } as unknown as pg.CustomTypesConfig;

/** Statements on a real PostgreSQL server: one pool per `database` named in a request. */
export function pgBackend(options: PgBackendOptions): Backend {
  const base = new URL(options.databaseUrl);
  const defaultDatabase = decodeURIComponent(base.pathname.slice(1)) || 'postgres';
  const pools = new Map<string, pg.Pool>();

  const poolFor = (database: string | undefined): pg.Pool => {
    const name = database ? checkDatabaseName(database) : defaultDatabase;
    let pool = pools.get(name);
    if (!pool) {
      const url = new URL(base);
      url.pathname = `/${encodeURIComponent(name)}`;
      pool = new pg.Pool({
        connectionString: url.toString(),
        max: 10,
        statement_timeout: options.statementTimeoutMs,
        // Aurora clusters default to UTC; timestamptz text then carries +00, which the mapping drops.
        options: '-c TimeZone=UTC',
        application_name: 'data-api-emulator',
      });
      // An idle client's error (server restart) must not crash the emulator; the pool drops the client.
      pool.on('error', () => undefined);
      pools.set(name, pool);
    }
    return pool;
  };

  return {
    query: async (database, sql, values) => run(poolFor(database), sql, values),
    async begin(database) {
      const client = await poolFor(database).connect();
      try {
        await client.query('BEGIN');
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
      return transaction(client);
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.end()));
      pools.clear();
    },
  };
}

function transaction(client: pg.PoolClient): TransactionSession {
  // A checked-out client that loses its connection emits 'error'; unheard, that would end the
  // emulator. The transaction's next call fails with the error instead.
  const ignore = () => undefined;
  client.on('error', ignore);
  let released = false;
  const finish = async (command: 'COMMIT' | 'ROLLBACK') => {
    if (released) return;
    released = true;
    client.off('error', ignore);
    try {
      await client.query(command);
      client.release();
    } catch (error) {
      // A client whose COMMIT/ROLLBACK failed may still be inside the transaction: destroy it.
      client.release(error as Error);
      throw error;
    }
  };
  return {
    query: (sql, values) => run(client, sql, values),
    commit: () => finish('COMMIT'),
    rollback: () => finish('ROLLBACK'),
  };
}

async function run(
  client: pg.Pool | pg.PoolClient,
  sql: string,
  values: readonly unknown[],
): Promise<RawResult> {
  // queryMode 'extended' prepares even parameterless statements, so "SELECT 1; SELECT 2" fails as on Aurora.
  const config = {
    text: sql,
    values: [...values],
    rowMode: 'array' as const,
    types: RAW_TEXT,
    queryMode: 'extended',
  };
  const result = await client.query<(string | null)[]>(config);
  return {
    columns: result.fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID })),
    rows: result.rows,
    rowsAffected: result.command === 'SELECT' ? 0 : (result.rowCount ?? 0),
  };
}
