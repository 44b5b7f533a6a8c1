import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../../shared/migrations/split-statements.js';

describe('splitStatements', () => {
  it('splits at top-level semicolons and drops empty and comment-only pieces', () => {
    expect(
      splitStatements('CREATE TABLE a (x int);\n\n;  CREATE INDEX i ON a (x)\n-- trailing note;\n'),
    ).toEqual(['CREATE TABLE a (x int)', 'CREATE INDEX i ON a (x)\n-- trailing note;']);
    expect(splitStatements('-- only a comment;\n/* and; another */')).toEqual([]);
  });

  it('keeps semicolons inside strings, identifiers and comments', () => {
    const sql = [
      "INSERT INTO a VALUES ('x;y', 'it''s; fine')",
      "INSERT INTO a VALUES (E'back\\'slash;')",
      'CREATE TABLE "odd;name" (x int)',
      'SELECT 1 /* outer /* nested; */ still; comment */ + 1',
      'SELECT 2 -- line; comment\n + 2',
    ];
    expect(splitStatements(`${sql.join(';\n')};`)).toEqual(sql);
  });

  it('keeps dollar-quoted bodies whole, with or without a tag', () => {
    const fn = 'CREATE FUNCTION f() RETURNS int AS $$ BEGIN PERFORM 1; RETURN 1; END $$ LANGUAGE plpgsql';
    const tagged = "DO $body$ BEGIN RAISE NOTICE '$$;'; END $body$";
    expect(splitStatements(`${fn};${tagged};SELECT 3`)).toEqual([fn, tagged, 'SELECT 3']);
  });

  it('does not mistake a positional parameter or an identifier ending in e for a quote start', () => {
    // In a plain string a backslash is an ordinary character, so 'a\' ends at its second quote.
    expect(splitStatements("SELECT $1; SELECT name'a\\'; SELECT 2")).toEqual([
      'SELECT $1',
      "SELECT name'a\\'",
      'SELECT 2',
    ]);
  });
});
