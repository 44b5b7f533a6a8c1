/**
 * The smallest SQL surface the migration runner and the SQL prediction store need, so one runner and
 * one store work over node-postgres, PGlite and the RDS Data API.
 *
 * Rules that keep the Data API possible:
 * - one statement per `query` call (the Data API prepares every statement, and PostgreSQL refuses
 *   several commands in one prepared statement);
 * - positional `$1..$n` params of scalar types only (no arrays), each wrapped in CAST(... AS type)
 *   so a `$n` -> `:pn` rewrite needs no type inference;
 * - no session state: whatever must hold across statements happens inside `transaction`.
 */
export type SqlParam = string | number | boolean | null;

export type SqlRow = Record<string, unknown>;

export interface SqlExecutor {
  /** `signal`: the caller stopped waiting; an adapter that can abandon the request does. */
  query<R extends SqlRow = SqlRow>(
    sql: string,
    params?: readonly SqlParam[],
    signal?: AbortSignal,
  ): Promise<R[]>;
}

export interface SqlDatabase extends SqlExecutor {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** A SqlDatabase that owns its connection(s). */
export interface ClosableSqlDatabase extends SqlDatabase {
  close(): Promise<void>;
}
