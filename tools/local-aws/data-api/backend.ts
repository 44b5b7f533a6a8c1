/** One column of a result: its name and PostgreSQL type OID. */
export interface RawColumn {
  name: string;
  dataTypeID: number;
}

/** A statement's result with every value in PostgreSQL's text form, so pg and PGlite map alike. */
export interface RawResult {
  columns: RawColumn[];
  rows: (string | null)[][];
  /** Rows a DML statement changed (0 for SELECT). */
  rowsAffected: number;
}

export interface SqlSession {
  /** Runs one statement as a prepared statement, as Aurora does: several commands are an error. */
  query(sql: string, values: readonly unknown[]): Promise<RawResult>;
}

/** A session holding an open transaction, for BeginTransaction ... Commit/RollbackTransaction. */
export interface TransactionSession extends SqlSession {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** Where statements run: a PostgreSQL server (one pool per database name) or PGlite. */
export interface Backend {
  /** An autocommit statement on `database` (undefined: the backend's default database). */
  query(database: string | undefined, sql: string, values: readonly unknown[]): Promise<RawResult>;
  begin(database: string | undefined): Promise<TransactionSession>;
  close(): Promise<void>;
}

/** Database names reach a connection string or a directory name: keep them to plain identifiers. */
export function checkDatabaseName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/.test(name)) {
    throw Object.assign(new Error(`database "${name}" does not exist`), { code: '3D000' });
  }
  return name;
}
