import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTfjsModel, type TfjsModel } from '../../shared/adapters/model/tfjs-model.js';
import { loadConfig } from '../../shared/config.js';
import { repoRoot } from '../support/fixtures.js';
import { makeJpeg } from '../support/images.js';

// The bundled default model loads and answers; its accuracy on the real photos is measured in
// pets-mobilenet-v1.integration.test.ts.

const defaultDir = path.join(repoRoot, 'models', 'pets-mobilenet-v1');

let model: TfjsModel;
beforeAll(async () => {
  model = await loadTfjsModel({ uri: defaultDir, backend: 'wasm' });
});
afterAll(() => model?.dispose());

describe('the bundled default model', () => {
  it('is what MODEL_URI means when it is not set', () => {
    expect(loadConfig({}).model.uri).toBe(defaultDir);
  });

  it('loads through the model port: 37 breeds with species, a pet gate, not untrained', async () => {
    expect(model.info).toMatchObject({ name: 'pets-mobilenet-v1', untrained: false, format: 'layers' });
    expect(model.info.labels).toHaveLength(37);
    const result = await model.classify(await makeJpeg(320, 240), 3);
    expect(result.scores).toHaveLength(3);
    expect(result.pet).toBeDefined();
  });
});

describe('the deployment packages', () => {
  it('default to the bundled model in Beanstalk deploy settings too (the bundle copies that folder)', async () => {
    const { parseDeploySettings } = await import('../../eb-compat/bundle/deploy-settings.js');
    const settings = parseDeploySettings({
      region: 'eu-west-1',
      store: { kind: 'pg', url: 'postgres://u@db.test.internal:5432/p', passwordSecretId: 's', poolMax: 2 },
      redisUrl: 'redis://cache.test.internal:6379',
      auth: {
        jwksUrl: 'https://auth.test.internal/jwks.json',
        issuer: 'https://auth.test.internal',
        audience: 'a',
      },
    });
    expect(settings.modelUri).toBe('models/pets-mobilenet-v1');
  });
});
