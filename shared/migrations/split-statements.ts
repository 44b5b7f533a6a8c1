import { isCommentAt, skipNonCode } from '../sql/skip-non-code.js';

/**
 * Splits a migration file into single statements at top-level semicolons. The RDS Data API runs
 * every statement as a prepared statement, which PostgreSQL limits to one command, so the runner
 * sends statements one by one through every adapter alike.
 *
 * Understands what can hide a semicolon in PostgreSQL SQL: '...' and E'...' strings, "..." identifiers,
 * $tag$...$tag$ bodies, -- comments and nested /* *\/ comments. Comment-only pieces are dropped.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  let hasCode = false;
  while (i < sql.length) {
    const skipped = skipNonCode(sql, i);
    if (skipped > i) {
      if (!isCommentAt(sql, i)) hasCode = true;
      i = skipped;
    } else if (sql[i] === ';') {
      if (hasCode) statements.push(sql.slice(start, i).trim());
      start = i + 1;
      hasCode = false;
      i += 1;
    } else {
      if (!/\s/.test(sql[i] ?? '')) hasCode = true;
      i += 1;
    }
  }
  if (hasCode) statements.push(sql.slice(start).trim());
  return statements;
}
