import type { Operation } from '../../shared/http/operation.js';

/** Whether a request path fits an OpenAPI-style template: /predictions/{id} takes one non-empty segment. */
export function pathMatches(template: string, path: string): boolean {
  const want = template.split('/');
  const got = path.split('/');
  return (
    want.length === got.length &&
    want.every((part, i) => (/^\{\w+\}$/.test(part) ? got[i] !== '' : part === got[i]))
  );
}

/** The operations whose path fits, whatever their method: some means 405 for another method, none 404. */
export function operationsAt(ops: readonly Operation[], path: string): Operation[] {
  return ops.filter((op) => pathMatches(op.path, path));
}
