/*
 * What a client-sent string must be before it may reach PostgreSQL. PostgreSQL's text refuses NUL
 * (0x00, SQLSTATE 22021): the statement fails, which would surface as a 500. A lone UTF-16 surrogate
 * cannot be encoded as UTF-8 at all: Node's encoder turns it into U+FFFD on the way to the database,
 * so the stored value silently differs from the one sent (two distinct token subjects would become one
 * user). Both are refused as client errors instead.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const STORABLE_TEXT_RULE = 'no NUL (U+0000) characters and no unpaired UTF-16 surrogates';

/** True when PostgreSQL stores exactly this string: no NUL, well-formed UTF-16. */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}
