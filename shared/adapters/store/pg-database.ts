import pg, { type Client, type Pool, type PoolClient } from 'pg';
import type { ClosableSqlDatabase, SqlExecutor, SqlParam, SqlRow } from '../../ports/sql-database.js';
import { StoreConnectionError } from './store-unavailable.js';

/**
 * SqlDatabase over node-postgres. With a Pool, each transaction checks out its own client, so
 * transactions run concurrently. With a single Client (scripts), everything is serialised: a query
 * sent while a transaction is open would otherwise run inside that transaction.
 */
export function pgDatabase(target: Pool | Client): ClosableSqlDatabase {
  return isPool(target) ? poolDatabase(target) : clientDatabase(target);
}

function isPool(target: Pool | Client): target is Pool {
  return 'totalCount' in target;
}

/**
 * What the server reports arrives as pg's DatabaseError, with its SQLSTATE. Anything else pg rejects a
 * call with means no answer came: the connection was refused, reset, closed or timed out.
 */
function driverCall<T>(call: () => Promise<T>): Promise<T> {
  return call().catch((error: unknown) => {
    throw error instanceof pg.DatabaseError ? error : new StoreConnectionError(error);
  });
}

/** Distinct statements a pool keeps prepared, per connection; past it, statements go unnamed. */
const MAX_PREPARED = 200;

/**
 * Names for the pool's statements with params (the store's few, and its multi-row inserts up to
 * batched-inserts' largest): a named statement is parsed and planned once per connection, where an
 * unnamed one is parsed, analysed and planned on every call, and its whole text sent each time (a
 * four-row insert is 2 KB). The store names its columns, so a later migration that adds a column does
 * not change a prepared statement's result.
 */
function statementNames(): (sql: string) => string | undefined {
  const names = new Map<string, string>();
  return (sql) => {
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `pettracker_${names.size + 1}`;
      names.set(sql, name);
    }
    return name;
  };
}

function executor(
  client: Pool | PoolClient | Client,
  nameOf: (sql: string) => string | undefined = () => undefined,
): SqlExecutor {
  return {
    async query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []) {
      const name = params.length > 0 ? nameOf(sql) : undefined;
      const result = await driverCall(() => client.query({ text: sql, values: [...params], name }));
      return result.rows as R[];
    },
  };
}

function poolDatabase(pool: Pool): ClosableSqlDatabase {
  const nameOf = statementNames();
  return {
    ...executor(pool, nameOf),
    async transaction(fn) {
      const client = await driverCall(() => pool.connect());
      try {
        const result = await inTransaction(client, fn, nameOf);
        client.release();
        return result;
      } catch (error) {
        // A client whose ROLLBACK failed may be mid-transaction: destroy it rather than reuse it.
        client.release(error instanceof RollbackFailedError ? error : undefined);
        throw error instanceof RollbackFailedError ? error.cause : error;
      }
    },
    close: () => pool.end(),
  };
}

function clientDatabase(client: Client): ClosableSqlDatabase {
  let tail: Promise<unknown> = Promise.resolve();
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
  const raw = executor(client);
  return {
    query: (sql, params) => serialised(() => raw.query(sql, params)),
    transaction: (fn) =>
      serialised(() =>
        inTransaction(client, fn).catch((error: unknown) => {
          throw error instanceof RollbackFailedError ? error.cause : error;
        }),
      ),
    close: () => client.end(),
  };
}

class RollbackFailedError extends Error {
  constructor(cause: unknown) {
    super('ROLLBACK failed', { cause });
    this.name = 'RollbackFailedError';
  }
}

async function inTransaction<T>(
  client: PoolClient | Client,
  fn: (tx: SqlExecutor) => Promise<T>,
  nameOf?: (sql: string) => string | undefined,
): Promise<T> {
  const tx = executor(client, nameOf);
  await tx.query('BEGIN');
  let result: T;
  try {
    result = await fn(tx);
  } catch (error) {
    try {
      await tx.query('ROLLBACK');
    } catch {
      throw new RollbackFailedError(error);
    }
    throw error;
  }
  await tx.query('COMMIT');
  return result;
}
