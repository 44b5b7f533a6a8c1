import { skipNonCode } from '../../../shared/sql/skip-non-code.js';

/**
 * Rewrites the Data API's `:name` placeholders into PostgreSQL's `$n`, calling `placeholder(name)` for
 * each one in code. Leaves alone what only looks like a placeholder: `::type` casts, `:=`, and any
 * colon inside '...' / E'...' strings, "..." identifiers, $tag$...$tag$ bodies, -- and nested /* *\/
 * comments (shared/sql/skip-non-code.ts, the scanner of the adapter's `$n` -> `:pN` rewrite and of
 * the migrations' statement splitter).
 */
export function rewriteNamedParameters(sql: string, placeholder: (name: string) => string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const skipped = skipNonCode(sql, i);
    if (skipped > i) {
      out += sql.slice(i, skipped);
      i = skipped;
    } else if (sql.startsWith('::', i)) {
      out += '::';
      i += 2;
    } else if (sql[i] === ':' && NAME_START.test(sql[i + 1] ?? '')) {
      const name = NAME.exec(sql.slice(i + 1))?.[0] ?? '';
      out += placeholder(name);
      i += 1 + name.length;
    } else {
      out += sql[i];
      i += 1;
    }
  }
  return out;
}

const NAME_START = /[A-Za-z_]/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
