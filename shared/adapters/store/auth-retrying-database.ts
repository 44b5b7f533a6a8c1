import type { Logger } from '../../ports/logger.js';
import type { ClosableSqlDatabase } from '../../ports/sql-database.js';

/** PostgreSQL's invalid_password: the server refused the credentials of a new connection. */
const INVALID_PASSWORD = '28P01';

export function isAuthenticationFailure(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === INVALID_PASSWORD;
}

/**
 * Retries a call once when a new connection was refused with 28P01, after `refreshPassword` fetched
 * the secret again. That is the window of a rotation: the secret changed, the cached copy has not
 * expired yet. Retrying is safe because authentication precedes every statement of the call: nothing
 * ran. Once only, so a password that is simply wrong fails fast instead of hammering the server.
 */
export function authRetryingDatabase(
  db: ClosableSqlDatabase,
  refreshPassword: () => Promise<unknown>,
  logger?: Logger,
): ClosableSqlDatabase {
  const once = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (!isAuthenticationFailure(error)) throw error;
      logger?.warn({ code: INVALID_PASSWORD }, 'PostgreSQL refused the password; refreshing the secret');
      await refreshPassword();
      return work();
    }
  };
  return {
    query: (sql, params) => once(() => db.query(sql, params)),
    transaction: (fn) => once(() => db.transaction(fn)),
    close: () => db.close(),
  };
}
