import { describe, expect, it } from 'vitest';
import { renamePositional, toDataApiStatement } from '../../../../shared/adapters/store/data-api-params.js';
import { INSERT_PREDICTION, LIST_PAGE_AFTER } from '../../../../shared/adapters/store/prediction-sql.js';

describe('Data API parameter rewrite ($n -> :pn)', () => {
  it('renames positional params in code, including two-digit ones', () => {
    expect(renamePositional('SELECT CAST($1 AS text), CAST($10 AS int), $2', 10)).toBe(
      'SELECT CAST(:p1 AS text), CAST(:p10 AS int), :p2',
    );
  });

  it('leaves $n inside strings, identifiers, comments and dollar-quoted bodies alone', () => {
    const sql = `SELECT '$1', E'\\'$1', "a$1", x$1, $1 /* $1 /* $1 */ $1 */ -- $1
      , $fn$ SELECT $1 $fn$, $$ $1 $$`;
    expect(renamePositional(sql, 1)).toBe(`SELECT '$1', E'\\'$1', "a$1", x$1, :p1 /* $1 /* $1 */ $1 */ -- $1
      , $fn$ SELECT $1 $fn$, $$ $1 $$`);
  });

  it('leaves a $n beyond the given params for PostgreSQL to report', () => {
    expect(renamePositional('SELECT $1, $2', 1)).toBe('SELECT :p1, $2');
  });

  it('types values as the Data API needs: integers long, fractions double, NaN as text', () => {
    const { parameters } = toDataApiStatement('SELECT $1,$2,$3,$4,$5,$6', [
      'a',
      7,
      0.5,
      true,
      null,
      Number.NaN,
    ]);
    expect(parameters.map((p) => p.value)).toEqual([
      { stringValue: 'a' },
      { longValue: 7 },
      { doubleValue: 0.5 },
      { booleanValue: true },
      { isNull: true },
      { stringValue: 'NaN' },
    ]);
    expect(parameters.map((p) => p.name)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  });

  it("rewrites the store's own SQL completely", () => {
    expect(toDataApiStatement(INSERT_PREDICTION, Array(9).fill('x')).sql).not.toMatch(/\$\d/);
    expect(toDataApiStatement(LIST_PAGE_AFTER, Array(4).fill('x')).sql).toContain('CAST(:p3 AS timestamptz)');
  });
});
