/*
 * The Lambda functions' TypeScript source in a process of their own (started by lambda-process.ts
 * with tsx): the migrate function first, as a deploy runs it, then every HTTP function imported and
 * warmed, each event from the parent handed to the named handler. A request that crashes a function
 * ends this process, as it would end the Lambda container, and the parent sees it.
 */
import type { HttpApiEvent } from '../../../functions/runtime/api-gateway.js';
import { type Handler, lambdaContext } from '../../support/lambda/lambda-target.js';
import { sourceHandlers } from '../../support/lambda/source-handlers.js';

interface Message {
  id: number;
  fn: string;
  event: HttpApiEvent;
}

const send = (message: unknown) => process.send?.(message);

const { handler: migrate } = await import('../../../functions/migrate.js');
await migrate({}, lambdaContext('migrate', 300));
const handlers: Record<string, Handler> = await sourceHandlers();
send({ type: 'ready' });

process.on('message', async ({ id, fn, event }: Message) => {
  const handler = handlers[fn];
  try {
    if (!handler) throw new Error(`no function ${fn}`);
    send({ id, result: await handler(event, lambdaContext(fn)) });
  } catch (error) {
    send({ id, error: String((error as Error)?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
