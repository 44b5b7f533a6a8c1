/**
 * Rewrites the Data API's `:name` placeholders into PostgreSQL's `$n`, calling `placeholder(name)` for
 * each one in code. Leaves alone what only looks like a placeholder: `::type` casts, `:=`, and any
 * colon inside '...' / E'...' strings, "..." identifiers, $tag$...$tag$ bodies, -- and nested /* *\/
 * comments. Independent of the adapter's `$n` -> `:pN` rewrite on purpose: a test double that shared
 * the adapter's scanner would share its bugs.
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
const DOLLAR_TAG = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/;

/** Index just past the literal or comment that starts at `i`, or `i` when none does. */
function skipNonCode(sql: string, i: number): number {
  const ch = sql[i];
  const before = sql[i - 1] ?? '';
  if (ch === '-' && sql[i + 1] === '-') return endOf(sql, '\n', i + 2);
  if (ch === '/' && sql[i + 1] === '*') return skipBlockComment(sql, i);
  if (ch === "'") {
    const escapes = /[eE]/.test(before) && !/[\w$]/.test(sql[i - 2] ?? '');
    return skipQuoted(sql, i, "'", escapes);
  }
  if (ch === '"') return skipQuoted(sql, i, '"', false);
  if (ch === '$' && !/[\w$]/.test(before)) {
    const tag = DOLLAR_TAG.exec(sql.slice(i))?.[0];
    if (tag) {
      const close = sql.indexOf(tag, i + tag.length);
      return close === -1 ? sql.length : close + tag.length;
    }
  }
  return i;
}

function endOf(sql: string, needle: string, from: number): number {
  const at = sql.indexOf(needle, from);
  return at === -1 ? sql.length : at + needle.length;
}

function skipBlockComment(sql: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

/** A doubled quote escapes itself; in E'' strings a backslash escapes the next character too. */
function skipQuoted(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < sql.length) {
    if (backslashEscapes && sql[i] === '\\') i += 2;
    else if (sql[i] === quote && sql[i + 1] === quote) i += 2;
    else if (sql[i] === quote) return i + 1;
    else i += 1;
  }
  return sql.length;
}
