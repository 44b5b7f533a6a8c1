import { DataApiError } from './errors.js';

/**
 * Parses PostgreSQL's text form of a one-dimensional array ('{1,2}', '{"a b",NULL,c}') into its
 * elements' text. Aurora refuses multidimensional arrays with UnsupportedResultException, so do we.
 */
export function parseArrayLiteral(text: string): (string | null)[] {
  // A literal may start with explicit bounds, e.g. '[0:1]={a,b}'.
  const body = text.startsWith('[') ? text.slice(text.indexOf('=') + 1) : text;
  if (body.startsWith('{{')) {
    throw new DataApiError('UnsupportedResultException', 'The result contains a multidimensional array.');
  }
  const elements: (string | null)[] = [];
  let i = 1;
  while (i < body.length - 1) {
    if (body[i] === '"') {
      let value = '';
      i += 1;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i += 1;
        value += body[i] ?? '';
        i += 1;
      }
      elements.push(value);
      i += 2; // closing quote and the comma
    } else {
      const end = body.indexOf(',', i);
      const stop = end === -1 ? body.length - 1 : end;
      const value = body.slice(i, stop);
      elements.push(value === 'NULL' ? null : value);
      i = stop + 1;
    }
  }
  return elements;
}
