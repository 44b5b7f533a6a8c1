/**
 * A model worker thread: loads its own copy of the model (TF.js keeps one engine per thread) and
 * classifies the decoded images the pool sends, one at a time. Started by worker-pool-model.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTfjsModel } from './tfjs-model.js';
import {
  type ClassifyRequest,
  toWireError,
  type WorkerLoadOptions,
  type WorkerReply,
} from './worker-messages.js';

const port = parentPort;
if (!port) throw new Error('model-worker.ts runs as a worker thread only.');
const reply = (message: WorkerReply) => port.postMessage(message);

try {
  const model = await loadTfjsModel(workerData as WorkerLoadOptions);
  port.on('message', (request: ClassifyRequest) => {
    // The pool sends one request at a time, so nothing queues here.
    model.classify(request.image, request.topK).then(
      (classification) => reply({ kind: 'result', id: request.id, classification }),
      (error: unknown) => reply({ kind: 'error', id: request.id, error: toWireError(error) }),
    );
  });
  reply({ kind: 'ready', info: model.info, stats: model.stats });
} catch (error) {
  reply({ kind: 'load-failed', error: toWireError(error) });
}
