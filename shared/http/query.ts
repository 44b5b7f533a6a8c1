/**
 * Parsed from the raw query string, so that decoding is the standard one whatever the transport did;
 * repeated keys are joined with commas, as API Gateway joins them. No prototype: a key like
 * "__proto__" or "constructor" is just a key.
 */
export function queryOf(raw: string): Record<string, string> {
  const query: Record<string, string> = Object.create(null);
  if (raw === '') return query;
  for (const [key, value] of new URLSearchParams(raw)) {
    query[key] = Object.hasOwn(query, key) ? `${query[key]},${value}` : value;
  }
  return query;
}
