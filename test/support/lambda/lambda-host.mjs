// One Lambda function in a process of its own, as the Lambda Node.js runtime runs it: the module is
// imported once (the init phase), then the handler is called for each event the parent sends.
// Plain JavaScript, run by plain `node` (not through the test runner), so the bundle is what runs.
// argv[2]: the bundle (.mjs). Messages in: { id, event, timeoutS }; out: { type: 'ready', importMs },
// then { id, result | error, durationMs, sinceImportStartMs }.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const bundle = process.argv[2];
const started = performance.now();
const { handler } = await import(pathToFileURL(bundle).href);
process.send({ type: 'ready', importMs: performance.now() - started });

process.on('message', async ({ id, event, timeoutS = 29 }) => {
  const deadline = Date.now() + timeoutS * 1000;
  const context = {
    awsRequestId: randomUUID(),
    functionName: path.basename(bundle, '.mjs'),
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  const t = performance.now();
  try {
    const result = await handler(event, context);
    const now = performance.now();
    process.send({ id, result, durationMs: now - t, sinceImportStartMs: now - started });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
// Timers (a secret's refresh) would keep the process alive; the parent going away ends it.
process.on('disconnect', () => process.exit(0));
