import { httpFunctions } from '../../../functions/runtime/function-table.js';
import { operations } from '../../../shared/http/operations.js';
import type { Route } from './api-gateway.js';

/**
 * The routes serverless.yml must declare, derived from the function table and the operation table:
 * each operation on its function, the JWT authorizer exactly where the operation needs a caller, and
 * everything else to the $default route's function.
 */
export function tableRoutes(): Route[] {
  const routes = Object.entries(httpFunctions).flatMap(([functionName, spec]) =>
    spec.operations.map((id) => {
      const op = operations.find((o) => o.id === id);
      if (!op) throw new Error(`unknown operation ${id}`);
      return { routeKey: `${op.method} ${op.path}`, functionName, authorizer: op.auth };
    }),
  );
  return [...routes, { routeKey: '$default', functionName: 'not-found', authorizer: false }];
}
