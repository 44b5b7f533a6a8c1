import type { SqlDatabase, SqlExecutor } from '../ports/sql-database.js';
import { MigrationChecksumError } from './errors.js';
import { type MigrationFile, readMigrationFiles } from './migration-files.js';

export interface MigrationRunResult {
  /** File names this run applied, in order. */
  applied: string[];
  /** File names found already applied (by an earlier or a concurrent run). */
  alreadyApplied: string[];
}

/*
 * Every transaction of the runner starts with this transaction-scoped advisory lock. Transaction
 * scope, not session scope, because the RDS Data API has no session that could hold a session lock
 * between calls. The key is an arbitrary constant shared by every release of pettracker; the lock is
 * taken through FROM because the Data API has no mapping for a `void` result column.
 */
const LOCK = 'SELECT 1 AS locked FROM pg_advisory_xact_lock(7213049156)';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

interface AppliedRow extends Record<string, unknown> {
  version: number;
  checksum: string;
}

/**
 * Applies the migrations in `migrationsDir` that the database has not seen, each in its own
 * transaction under the lock, re-checking inside it whether a concurrent runner applied it meanwhile.
 * So Lambda cold starts, Beanstalk instances and a deploy-time `npm run migrate` may all race: each
 * file is applied exactly once, and the others wait for it and then skip it.
 */
export async function runMigrations(db: SqlDatabase, migrationsDir: string): Promise<MigrationRunResult> {
  const files = await readMigrationFiles(migrationsDir);
  const appliedAtStart = await db.transaction(async (tx) => {
    await tx.query(LOCK);
    // Under the lock: concurrent CREATE TABLE IF NOT EXISTS can otherwise fail on pg_type's unique index.
    await tx.query(CREATE_TABLE);
    return tx.query<AppliedRow>('SELECT version, checksum FROM schema_migrations');
  });
  const checksums = new Map(appliedAtStart.map((row) => [Number(row.version), row.checksum]));
  // Verify every applied file before applying anything, so an edit fails the run even with nothing new.
  for (const file of files) verifyChecksum(file, checksums.get(file.version));

  const result: MigrationRunResult = { applied: [], alreadyApplied: [] };
  for (const file of files) {
    if (checksums.has(file.version) || (await applyOne(db, file)) === 'already-applied') {
      result.alreadyApplied.push(file.name);
    } else {
      result.applied.push(file.name);
    }
  }
  return result;
}

async function applyOne(db: SqlDatabase, file: MigrationFile): Promise<'applied' | 'already-applied'> {
  return db.transaction(async (tx) => {
    await tx.query(LOCK);
    const existing = await appliedChecksum(tx, file.version);
    if (existing !== undefined) {
      verifyChecksum(file, existing);
      return 'already-applied';
    }
    for (const statement of file.statements) await tx.query(statement);
    await tx.query(
      'INSERT INTO schema_migrations (version, name, checksum) ' +
        'VALUES (CAST($1 AS integer), CAST($2 AS text), CAST($3 AS text))',
      [file.version, file.name, file.checksum],
    );
    return 'applied';
  });
}

async function appliedChecksum(tx: SqlExecutor, version: number): Promise<string | undefined> {
  const rows = await tx.query<AppliedRow>(
    'SELECT version, checksum FROM schema_migrations WHERE version = CAST($1 AS integer)',
    [version],
  );
  return rows[0]?.checksum;
}

function verifyChecksum(file: MigrationFile, applied: string | undefined): void {
  if (applied !== undefined && applied !== file.checksum) {
    throw new MigrationChecksumError(file.name, applied, file.checksum);
  }
}
