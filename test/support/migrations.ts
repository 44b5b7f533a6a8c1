import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface MigrationsFolder {
  dir: string;
  write(name: string, sql: string): Promise<void>;
  remove(): Promise<void>;
}

/** A temporary migrations folder holding `files` (name -> SQL). */
export async function migrationsFolder(files: Record<string, string>): Promise<MigrationsFolder> {
  const dir = await mkdtemp(join(tmpdir(), 'pettracker-migrations-'));
  const write = (name: string, sql: string) => writeFile(join(dir, name), sql);
  for (const [name, sql] of Object.entries(files)) await write(name, sql);
  return { dir, write, remove: () => rm(dir, { recursive: true, force: true }) };
}

export const readRealMigration = (name: string) => readFile(join(MIGRATIONS_DIR, name), 'utf8');

/** Versions 1, 2, 10: numeric order differs from name order, and 10 needs the row 2 inserts. */
export const ORDERED_FILES = {
  '10_extend.sql': "ALTER TABLE t ADD COLUMN label text;\nUPDATE t SET label = 'two' WHERE n = 2;",
  '1_create.sql': '-- first\nCREATE TABLE t (n integer NOT NULL);',
  '2_fill.sql': 'INSERT INTO t (n) VALUES (2);',
};
