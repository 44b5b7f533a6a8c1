import { classifyImage, preprocessImage } from '../shared/adapters/model/image-preprocess.js';
import { loadTfjsModel } from '../shared/adapters/model/tfjs-model.js';
import { percentile, round, timeIt } from './stats.js';

export interface ModelBenchRow {
  model: string;
  backend: string;
  loadMs: number;
  warmupMs: number;
  /** classify(): decode + resize + normalise + inference + top-k */
  classifyP50Ms: number;
  classifyP95Ms: number;
  /** decode + resize + normalise alone (sharp) */
  preprocessP50Ms: number;
  iterations: number;
}

export async function benchModel(
  name: string,
  uri: string,
  backend: 'tensorflow' | 'wasm' | 'cpu',
  image: Buffer,
  iterations: number,
): Promise<ModelBenchRow | { model: string; backend: string; unavailable: string }> {
  let model: Awaited<ReturnType<typeof loadTfjsModel>>;
  try {
    model = await loadTfjsModel({ uri, backend });
  } catch (error) {
    return { model: name, backend, unavailable: (error as Error).message.split('\n')[0] ?? 'failed' };
  }
  if (model.info.backend !== backend) {
    await model.dispose();
    return { model: name, backend, unavailable: `fell back to ${model.info.backend}` };
  }
  const classify: number[] = [];
  const preprocess: number[] = [];
  for (let i = 0; i < iterations; i++) {
    classify.push((await timeIt(() => classifyImage(model, image, 3))).ms);
    const options = { inputSize: model.info.inputSize, preprocessing: model.info.preprocessing };
    preprocess.push((await timeIt(() => preprocessImage(image, options))).ms);
  }
  await model.dispose();
  return {
    model: name,
    backend,
    loadMs: round(model.stats.sourceMs + model.stats.loadMs),
    warmupMs: round(model.stats.warmupMs),
    classifyP50Ms: percentile(classify, 50),
    classifyP95Ms: percentile(classify, 95),
    preprocessP50Ms: percentile(preprocess, 50),
    iterations,
  };
}
