import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MigrationFileError } from './errors.js';
import { splitStatements } from './split-statements.js';

export interface MigrationFile {
  version: number;
  /** The file name, e.g. 0001_create_predictions.sql: what errors and logs show. */
  name: string;
  /** sha256 (hex) of the file with CRLF normalised to LF, so a Windows checkout is not an "edit". */
  checksum: string;
  statements: string[];
}

const FILE_NAME = /^(\d+)_[a-z0-9_]+\.sql$/;

/**
 * Reads every migration in `dir`, ordered by version. Anything that is not NNNN_name.sql is an error
 * rather than silently skipped: a typo such as 0002-add-column.sql would otherwise never run.
 * Dotfiles (.gitkeep, .DS_Store) are ignored.
 */
export async function readMigrationFiles(dir: string): Promise<MigrationFile[]> {
  const entries = (await readdir(dir)).filter((entry) => !entry.startsWith('.'));
  const files: MigrationFile[] = [];
  for (const name of entries) {
    const match = FILE_NAME.exec(name);
    if (!match?.[1]) {
      throw new MigrationFileError(
        name,
        'expected a name like 0002_add_column.sql (digits, underscore, a-z0-9_)',
      );
    }
    const text = (await readFile(join(dir, name), 'utf8')).replace(/\r\n/g, '\n');
    const statements = splitStatements(text);
    if (statements.length === 0) throw new MigrationFileError(name, 'contains no SQL statement');
    files.push({
      version: Number.parseInt(match[1], 10),
      name,
      checksum: createHash('sha256').update(text).digest('hex'),
      statements,
    });
  }
  files.sort((a, b) => a.version - b.version);
  for (let i = 1; i < files.length; i += 1) {
    const [previous, current] = [files[i - 1], files[i]];
    if (previous && current && previous.version === current.version) {
      throw new MigrationFileError(current.name, `has the same version as ${previous.name}`);
    }
  }
  return files;
}
