import { ServiceUnavailableError } from '../errors.js';
import type { Logger } from '../ports/logger.js';
import type { SqlExecutor } from '../ports/sql-database.js';
import { type MigrationFile, readMigrationFiles } from './migration-files.js';
import { schemaStatus } from './schema-status.js';

/** What readiness asks of the database's schema. */
export interface SchemaCheck {
  /** Resolves when the schema is at the version this code expects; rejects with a 503 error otherwise. */
  assertCurrent(): Promise<void>;
}

export interface SchemaGateOptions {
  /** At most one warning per this long while the schema stays behind. Default 60 000 ms. */
  logEveryMs?: number;
  now?: () => number;
}

/**
 * The readiness check of the schema: the expected set is the migrations/ folder shipped with this
 * code, read once. A positive answer is kept for the life of the process (migrations only move the
 * schema forward, and this code's expectation never changes), so a ready instance costs nothing; until
 * then every check is two cheap statements. Why it is not ready goes to the log, rate-limited, never
 * into the response: the body of /ready is public.
 */
export class SchemaGate implements SchemaCheck {
  #current = false;
  #expected: Promise<MigrationFile[]> | undefined;
  #lastWarnAt = Number.NEGATIVE_INFINITY;
  #lastReason = '';

  constructor(
    private readonly db: SqlExecutor,
    private readonly migrationsDir: string,
    private readonly logger: Logger,
    private readonly options: SchemaGateOptions = {},
  ) {}

  async assertCurrent(): Promise<void> {
    if (this.#current) return;
    this.#expected ??= readMigrationFiles(this.migrationsDir);
    // A broken migrations folder is a broken release: never ready, and the log says why.
    const expected = await this.#expected.catch((error: unknown) => {
      this.#expected = undefined;
      throw this.#notReady(`migrations/ cannot be read: ${(error as Error).message}`);
    });
    let status: Awaited<ReturnType<typeof schemaStatus>>;
    try {
      status = await schemaStatus(this.db, expected);
    } catch (cause) {
      throw new ServiceUnavailableError('STORE_UNAVAILABLE', 'The database cannot be reached.', 5, cause);
    }
    if (!status.current) throw this.#notReady(status.reason);
    this.#current = true;
    this.logger.info({ migrations: expected.length }, 'database schema is current');
  }

  #notReady(reason: string): ServiceUnavailableError {
    const now = (this.options.now ?? Date.now)();
    if (reason !== this.#lastReason || now - this.#lastWarnAt >= (this.options.logEveryMs ?? 60_000)) {
      this.logger.warn({ reason }, 'not ready: the database schema is not at the version this code expects');
      this.#lastWarnAt = now;
      this.#lastReason = reason;
    }
    return new ServiceUnavailableError('NOT_READY', 'The service is not ready yet; retry shortly.', 10);
  }
}
