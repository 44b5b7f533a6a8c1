/** Why a migration run stopped. Not an AppError: these never reach an HTTP caller. */
export type MigrationErrorCode = 'MIGRATION_FILE_INVALID' | 'MIGRATION_CHECKSUM_MISMATCH';

export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A file in migrations/ that does not follow NNNN_name.sql, or two files with one version. */
export class MigrationFileError extends MigrationError {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super('MIGRATION_FILE_INVALID', `Migration file ${file}: ${reason}`);
  }
}

/** An already applied migration file was edited: write a new migration instead. */
export class MigrationChecksumError extends MigrationError {
  constructor(
    readonly file: string,
    readonly appliedChecksum: string,
    readonly fileChecksum: string,
  ) {
    super(
      'MIGRATION_CHECKSUM_MISMATCH',
      `Migration ${file} was edited after it was applied (applied sha256 ${appliedChecksum}, ` +
        `file sha256 ${fileChecksum}). Restore the file and add a new migration for the change.`,
    );
  }
}
