/**
 * The one place that knows what, in PostgreSQL SQL, is not code: '...' and E'...' strings, "..."
 * identifiers, $tag$...$tag$ bodies, -- comments and nested /* *\/ comments. Statement splitting
 * (migrations) and the `$n` -> `:pN` rewrite (Data API) both rely on it, so a `;` or `$1` inside a
 * string or a function body is never mistaken for code.
 */
const DOLLAR_TAG = /^\$(?:[A-Za-z_]\w*)?\$/;

/** Index just past the literal or comment that starts at `i`, or `i` when none does. */
export function skipNonCode(sql: string, i: number): number {
  const ch = sql[i];
  const before = sql[i - 1] ?? '';
  if (ch === '-' && sql[i + 1] === '-') return after(sql, '\n', i + 2);
  if (ch === '/' && sql[i + 1] === '*') return skipBlockComment(sql, i);
  if (ch === "'" || ch === '"') {
    // In E'' strings a backslash escapes the next character; everywhere a doubled quote is a quote.
    const escapes = ch === "'" && /[eE]/.test(before) && !/[\w$]/.test(sql[i - 2] ?? '');
    let j = i + 1;
    while (j < sql.length) {
      if (escapes && sql[j] === '\\') j += 2;
      else if (sql[j] === ch && sql[j + 1] === ch) j += 2;
      else if (sql[j] === ch) return j + 1;
      else j += 1;
    }
    return sql.length;
  }
  const tag = ch === '$' && !/[\w$]/.test(before) ? DOLLAR_TAG.exec(sql.slice(i))?.[0] : undefined;
  return tag ? after(sql, tag, i + tag.length) : i;
}

/** Whether the non-code run starting at `i` is a comment (rather than a string or identifier). */
export function isCommentAt(sql: string, i: number): boolean {
  return sql.startsWith('--', i) || sql.startsWith('/*', i);
}

function after(sql: string, needle: string, from: number): number {
  const at = sql.indexOf(needle, from);
  return at === -1 ? sql.length : at + needle.length;
}

/** PostgreSQL block comments nest. */
function skipBlockComment(sql: string, from: number): number {
  let depth = 0;
  for (let i = from; i < sql.length; ) {
    if (sql.startsWith('/*', i)) depth += 1;
    else if (sql.startsWith('*/', i)) depth -= 1;
    else {
      i += 1;
      continue;
    }
    i += 2;
    if (depth === 0) return i;
  }
  return sql.length;
}
