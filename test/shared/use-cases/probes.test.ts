import { describe, expect, it } from 'vitest';
import type { Core } from '../../../shared/core.js';
import { ModelResponse } from '../../../shared/http/schemas.js';
import { ModelSlot } from '../../../shared/model-slot.js';
import type { ModelInfo } from '../../../shared/ports/model.js';
import { modelInfo } from '../../../shared/use-cases/probes.js';

function coreServing(info: ModelInfo): Core {
  const model = new ModelSlot();
  model.set({
    info,
    classify: async () => ({ scores: [], species: null, unsure: false }),
    dispose: async () => {},
  });
  return { model } as unknown as Core;
}

const info = (source: string): ModelInfo => ({
  name: 'pet-breeds',
  version: '2026-11-20',
  format: 'layers',
  labels: ['beagle', 'persian'],
  inputSize: [224, 224],
  preprocessing: { resize: 'center-crop', scale: 2, offset: -1 },
  untrained: false,
  backend: 'wasm',
  source,
});

describe('GET /model body (modelInfo)', () => {
  it.each([
    's3://pettracker-prod-models/models/current',
    '/var/app/current/models/placeholder',
    'https://models.internal.example/pets/model.json',
  ])('names the model and version but not where it was loaded from (%s)', (source) => {
    const body = modelInfo(coreServing(info(source)));
    expect(body).toMatchObject({ name: 'pet-breeds', version: '2026-11-20', labelsCount: 2 });
    const text = JSON.stringify(body);
    expect(text).not.toContain(source);
    expect(text).not.toMatch(/s3:|pettracker-prod-models|\/var\/app|internal\.example/);
    // And it is exactly what the documented schema allows (no additional properties).
    expect(ModelResponse.strict().parse(body)).toEqual(body);
  });
});

describe('GET /model workers', () => {
  it('reports the worker threads of a pool, and 0 for a model in the serving thread', () => {
    expect(modelInfo(coreServing({ ...info('/models/x'), workers: 4 })).workers).toBe(4);
    expect(modelInfo(coreServing(info('/models/x'))).workers).toBe(0);
  });
});
