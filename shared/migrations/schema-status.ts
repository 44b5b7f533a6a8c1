import type { SqlExecutor } from '../ports/sql-database.js';
import type { MigrationFile } from './migration-files.js';

export type SchemaStatus =
  | { current: true }
  /** `reason` is for the log: which migration is missing or differs. */
  | { current: false; reason: string };

interface AppliedRow extends Record<string, unknown> {
  version: number;
  checksum: string;
}

/**
 * Whether every migration this code ships is applied, unedited. Versions applied beyond the shipped
 * ones are fine: they belong to a newer release mid-deploy, and migrations only expand the schema for
 * the release before them. Two cheap statements, no lock and no DDL: safe on every /ready.
 */
export async function schemaStatus(
  db: SqlExecutor,
  expected: readonly MigrationFile[],
): Promise<SchemaStatus> {
  // to_regclass answers NULL instead of failing when the table is missing (a never-migrated database).
  const [table] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  if (!table?.present)
    return { current: false, reason: 'schema_migrations does not exist: nothing is applied' };
  const rows = await db.query<AppliedRow>('SELECT version, checksum FROM schema_migrations');
  const applied = new Map(rows.map((row) => [Number(row.version), row.checksum]));
  const missing = expected.filter((file) => !applied.has(file.version)).map((file) => file.name);
  if (missing.length > 0) return { current: false, reason: `not applied: ${missing.join(', ')}` };
  const edited = expected
    .filter((file) => applied.get(file.version) !== file.checksum)
    .map((file) => file.name);
  if (edited.length > 0) {
    return { current: false, reason: `applied with another checksum: ${edited.join(', ')}` };
  }
  return { current: true };
}
