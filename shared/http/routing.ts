import { NotFoundError } from '../errors.js';
import type { Operation } from './operation.js';
import { assertWellFormedPath, methodNotAllowed } from './request-path.js';

/** Whether a request path fits an OpenAPI-style template: /predictions/{id} takes one non-empty segment. */
export function pathMatches(template: string, path: string): boolean {
  const want = template.split('/');
  const got = path.split('/');
  return (
    want.length === got.length &&
    want.every((part, i) => (/^\{\w+\}$/.test(part) ? got[i] !== '' : part === got[i]))
  );
}

/** A route the pipeline answers besides the operation table (the OpenAPI document, the dev token). */
export interface Route {
  id: string;
  method: string;
  path: string;
}

export type Routed<R extends Route> =
  | { kind: 'route'; route: R; params: Record<string, string> }
  | { kind: 'preflight' }
  | { kind: 'refused'; error: Error };

interface Template<R> {
  route: R;
  parts: string[];
}

/**
 * The one route table of both runtimes, matched on the raw path. Exact paths are a map lookup (the
 * hot path: /predict); templates with a {param} are tried in order. A known path with another method
 * is a 405 naming the methods it takes; an OPTIONS on a known path is a CORS preflight; else 404.
 */
export function routeTable<R extends Route>(
  routes: readonly R[],
): (method: string, path: string) => Routed<R> {
  const exact = new Map<string, R[]>();
  const templates: Template<R>[] = [];
  for (const route of routes) {
    if (route.path.includes('{')) templates.push({ route, parts: route.path.split('/') });
    else exact.set(route.path, [...(exact.get(route.path) ?? []), route]);
  }
  return (method, path) => {
    try {
      assertWellFormedPath(path);
    } catch (error) {
      return { kind: 'refused', error: error as Error };
    }
    let atPath = exact.get(path);
    let params: Record<string, string> = {};
    if (atPath === undefined) {
      const got = path.split('/');
      const found = templates.filter((t) => fits(t.parts, got));
      if (found.length > 0) {
        atPath = found.map((t) => t.route);
        params = paramsOf((found[0] as Template<R>).parts, got);
      }
    }
    if (atPath === undefined) return { kind: 'refused', error: new NotFoundError('No such route.') };
    const route = atPath.find((r) => r.method === method);
    if (route) return { kind: 'route', route, params };
    if (method === 'OPTIONS') return { kind: 'preflight' };
    return { kind: 'refused', error: methodNotAllowed(atPath as unknown as Operation[]) };
  };
}

function fits(want: string[], got: string[]): boolean {
  return (
    want.length === got.length &&
    want.every((part, i) => (part.startsWith('{') ? got[i] !== '' : part === got[i]))
  );
}

/** Path parameters, percent-decoded (the path as a whole is known to decode). */
function paramsOf(want: string[], got: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  want.forEach((part, i) => {
    if (part.startsWith('{')) params[part.slice(1, -1)] = decodeURIComponent(got[i] as string);
  });
  return params;
}
