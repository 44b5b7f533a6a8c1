import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ClosableSqlDatabase, SqlExecutor, SqlParam, SqlRow } from '../../ports/sql-database.js';
import { StoreConnectionError } from './store-unavailable.js';

/**
 * Opens PGlite (PostgreSQL compiled to WASM, in-process) on `dataDir`: 'memory://' keeps everything in
 * the WASM heap (tests), anything else is a directory on disk. PGlite is a single connection
 * that queues statements itself, and `transaction` holds it exclusively, so concurrent callers are
 * safe. close() must be called or the process may not exit.
 */
export async function openPgliteDatabase(dataDir: string): Promise<ClosableSqlDatabase> {
  // PGlite creates the data directory itself but not its parents (e.g. .data/ on a fresh checkout).
  if (!dataDir.includes('://')) await mkdir(dirname(dataDir), { recursive: true });
  const db = await PGlite.create(dataDir);
  return pgliteDatabase(db);
}

/** Wraps an open PGlite; close() closes it. */
export function pgliteDatabase(db: PGlite): ClosableSqlDatabase {
  /** A PGlite that is closing or closed fails every call: an outage of the store, not a bug. */
  const lost = (error: unknown) =>
    db.ready || error instanceof StoreConnectionError ? error : new StoreConnectionError(error);
  const executor = (target: Pick<PGlite, 'query'>): SqlExecutor => ({
    async query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []) {
      try {
        return (await target.query<R>(sql, [...params])).rows;
      } catch (error) {
        throw lost(error);
      }
    },
  });
  return {
    ...executor(db),
    transaction: (fn) =>
      db
        .transaction((tx) => fn(executor(tx)))
        .catch((error: unknown) => {
          throw lost(error);
        }),
    close: () => db.close(),
  };
}
