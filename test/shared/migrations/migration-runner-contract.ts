import { afterEach, beforeEach, expect, it } from 'vitest';
import { MigrationChecksumError, MigrationFileError } from '../../../shared/migrations/errors.js';
import { runMigrations } from '../../../shared/migrations/run-migrations.js';
import type { ClosableSqlDatabase } from '../../../shared/ports/sql-database.js';
import { type MigrationsFolder, migrationsFolder, ORDERED_FILES } from '../../support/migrations.js';

/** The runner's behaviour on one kind of database; `open` returns a fresh, empty database per test. */
export function registerMigrationRunnerCases(open: () => Promise<ClosableSqlDatabase>): void {
  let db: ClosableSqlDatabase;
  let folder: MigrationsFolder;
  beforeEach(async () => {
    db = await open();
    folder = await migrationsFolder(ORDERED_FILES);
  });
  afterEach(async () => {
    await db?.close();
    await folder?.remove();
  });

  const versions = async () =>
    (await db.query('SELECT version FROM schema_migrations ORDER BY applied_at, version')).map((r) =>
      Number(r.version),
    );

  it('applies the files in numeric version order and records each with its checksum', async () => {
    const result = await runMigrations(db, folder.dir);
    expect(result).toEqual({ applied: ['1_create.sql', '2_fill.sql', '10_extend.sql'], alreadyApplied: [] });
    expect(await versions()).toEqual([1, 2, 10]);
    expect(await db.query('SELECT n, label FROM t')).toEqual([{ n: 2, label: 'two' }]);
    const checksums = await db.query('SELECT checksum FROM schema_migrations');
    for (const row of checksums) expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a second run applies nothing; a later file is applied alone', async () => {
    await runMigrations(db, folder.dir);
    expect(await runMigrations(db, folder.dir)).toEqual({
      applied: [],
      alreadyApplied: ['1_create.sql', '2_fill.sql', '10_extend.sql'],
    });
    await folder.write('11_more.sql', 'INSERT INTO t (n) VALUES (11);');
    expect((await runMigrations(db, folder.dir)).applied).toEqual(['11_more.sql']);
    expect(await db.query('SELECT n FROM t ORDER BY n')).toEqual([{ n: 2 }, { n: 11 }]);
  });

  it('an edited applied file fails the run with MigrationChecksumError naming it, before applying anything', async () => {
    await runMigrations(db, folder.dir);
    await folder.write('2_fill.sql', 'INSERT INTO t (n) VALUES (3);');
    await folder.write('11_more.sql', 'INSERT INTO t (n) VALUES (11);');
    const error = await runMigrations(db, folder.dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationChecksumError);
    expect(error).toMatchObject({ file: '2_fill.sql', code: 'MIGRATION_CHECKSUM_MISMATCH' });
    expect((error as Error).message).toContain('2_fill.sql');
    expect(await versions()).toEqual([1, 2, 10]);
  });

  it('CRLF line endings do not count as an edit', async () => {
    await runMigrations(db, folder.dir);
    await folder.write('1_create.sql', '-- first\r\nCREATE TABLE t (n integer NOT NULL);');
    await expect(runMigrations(db, folder.dir)).resolves.toMatchObject({ applied: [] });
  });

  it('a failing file is rolled back entirely and not recorded', async () => {
    await folder.write(
      '3_broken.sql',
      'INSERT INTO t (n) VALUES (3);\nINSERT INTO no_such_table VALUES (1);',
    );
    await expect(runMigrations(db, folder.dir)).rejects.toThrow(/no_such_table/);
    expect(await versions()).toEqual([1, 2]);
    expect(await db.query('SELECT n FROM t')).toEqual([{ n: 2 }]);
  });

  it('a file not named NNNN_name.sql is an error rather than silently skipped', async () => {
    await folder.write('0003-typo.sql', 'SELECT 1;');
    await expect(runMigrations(db, folder.dir)).rejects.toBeInstanceOf(MigrationFileError);
  });

  it('concurrent runs on one database apply each file exactly once', async () => {
    const results = await Promise.all([1, 2, 3].map(() => runMigrations(db, folder.dir)));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(['10_extend.sql', '1_create.sql', '2_fill.sql']);
    expect(await versions()).toEqual([1, 2, 10]);
    expect(await db.query('SELECT n FROM t')).toEqual([{ n: 2 }]);
  });
}
