import type { SqlParameter } from '@aws-sdk/client-rds-data';
import type { SqlParam } from '../../ports/sql-database.js';
import { skipNonCode } from '../../sql/skip-non-code.js';

/**
 * Rewrites the port's positional `$n` into the Data API's named `:pN` and types each value.
 *
 * No typeHints: the port requires every param to sit in CAST($n AS type), so PostgreSQL already knows
 * the type and converts from the bound varchar / int8 / float8 / bool. A hint would add nothing, and
 * the TIMESTAMP hint would even break the store: it demands 'YYYY-MM-DD HH:MM:SS' text and refuses the
 * ISO 8601 cursor ('...T...Z') that CAST(... AS timestamptz) accepts.
 */
export function toDataApiStatement(
  sql: string,
  params: readonly SqlParam[],
): { sql: string; parameters: SqlParameter[] } {
  return { sql: renamePositional(sql, params.length), parameters: params.map(toParameter) };
}

export function toParameter(value: SqlParam, index: number): SqlParameter {
  const name = `p${index + 1}`;
  if (value === null) return { name, value: { isNull: true } };
  if (typeof value === 'string') return { name, value: { stringValue: value } };
  if (typeof value === 'boolean') return { name, value: { booleanValue: value } };
  if (Number.isInteger(value)) return { name, value: { longValue: value } };
  // JSON has no NaN or Infinity; PostgreSQL reads these spellings when the SQL casts to a float.
  if (!Number.isFinite(value)) return { name, value: { stringValue: String(value) } };
  return { name, value: { doubleValue: value } };
}

/**
 * `$n` -> `:pn` in code only: a `$1` inside a string, a quoted identifier, a comment or a $$ function
 * body (a migration may define one) is text, not a parameter. `$n` with n beyond the params is left
 * alone so PostgreSQL reports it rather than the rewrite hiding it.
 */
export function renamePositional(sql: string, count: number): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const skipped = skipNonCode(sql, i);
    const positional = skipped === i ? POSITIONAL.exec(sql.slice(i)) : null;
    if (skipped > i) {
      out += sql.slice(i, skipped);
      i = skipped;
    } else if (positional && !/[\w$]/.test(sql[i - 1] ?? '') && Number(positional[1]) <= count) {
      out += `:p${positional[1]}`;
      i += positional[0].length;
    } else {
      out += sql[i];
      i += 1;
    }
  }
  return out;
}

const POSITIONAL = /^\$(\d+)/;
