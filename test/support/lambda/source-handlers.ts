import { httpApiEvent } from './http-api-event.js';
import { type Handler, lambdaContext } from './lambda-target.js';

const MODULES = {
  predict: () => import('../../../functions/predict.js'),
  'save-prediction': () => import('../../../functions/save-prediction.js'),
  'list-predictions': () => import('../../../functions/list-predictions.js'),
  'delete-prediction': () => import('../../../functions/delete-prediction.js'),
  'model-info': () => import('../../../functions/model-info.js'),
  health: () => import('../../../functions/health.js'),
  'not-found': () => import('../../../functions/not-found.js'),
};

/**
 * The functions' TypeScript source, imported into this one process: each import runs the module's
 * init (config from process.env, composition, model load), so set the environment first. On Lambda
 * every function has a process of its own; here they share one, and TF.js keeps one engine per
 * process, so each function is imported and warmed (its init awaited, through a request for a route
 * it does not serve) before the next one starts loading its model.
 */
export async function sourceHandlers(): Promise<Record<string, Handler>> {
  const handlers: Record<string, Handler> = {};
  for (const [name, load] of Object.entries(MODULES)) {
    const { handler } = await load();
    const warmup = httpApiEvent({ method: 'GET', url: '/warm-up', routeKey: 'GET /warm-up' });
    await handler(warmup, lambdaContext(name));
    handlers[name] = handler;
  }
  return handlers;
}
