/** A piscina task worker: loads its own copy of the model at start and classifies one image per task. */
import { workerData } from 'node:worker_threads';
import { loadTfjsModel } from './tfjs-model.js';
import { type ClassifyRequest, toWireError, type WorkerLoadOptions } from './worker-messages.js';

const model = await loadTfjsModel(workerData as WorkerLoadOptions);

export default async function task(request: ClassifyRequest | { describe: true }) {
  if ('describe' in request) return { info: model.info, stats: model.stats };
  try {
    return { classification: await model.classify(request.image, request.topK) };
  } catch (error) {
    return { error: toWireError(error) };
  }
}
