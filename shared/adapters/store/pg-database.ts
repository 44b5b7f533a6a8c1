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

function executor(client: Pool | PoolClient | Client): SqlExecutor {
  return {
    async query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []) {
      const result = await driverCall(() => client.query(sql, [...params]));
      return result.rows as R[];
    },
  };
}

function poolDatabase(pool: Pool): ClosableSqlDatabase {
  return {
    ...executor(pool),
    async transaction(fn) {
      const client = await driverCall(() => pool.connect());
      try {
        const result = await inTransaction(client, fn);
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
): Promise<T> {
  const tx = executor(client);
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
