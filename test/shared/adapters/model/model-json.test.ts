import { describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../../../shared/adapters/model/model-errors.js';
import {
  checkWeightSizes,
  expectedGroupBytes,
  modelFormat,
  parseModelJson,
  weightFilePaths,
} from '../../../../shared/adapters/model/model-json.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

const model = parseModelJson(
  json({
    format: 'layers-model',
    modelTopology: { class_name: 'Sequential' },
    weightsManifest: [
      {
        paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
        weights: [
          { name: 'conv/kernel', shape: [3, 3, 3, 8], dtype: 'float32' },
          { name: 'conv/bias', shape: [8], dtype: 'float32' },
        ],
      },
      {
        paths: ['group2-shard1of1.bin'],
        weights: [
          {
            name: 'dense/kernel',
            shape: [10, 4],
            dtype: 'float32',
            quantization: { dtype: 'uint8', min: -1, scale: 0.01 },
          },
          { name: 'steps', shape: [], dtype: 'int32' },
        ],
      },
    ],
  }),
  'test',
);

describe('model.json', () => {
  it('lists every weight file in manifest order', () => {
    expect(weightFilePaths(model)).toEqual([
      'group1-shard1of2.bin',
      'group1-shard2of2.bin',
      'group2-shard1of1.bin',
    ]);
  });

  it('computes group sizes from shapes and dtypes, quantised weights at their stored size', () => {
    expect(expectedGroupBytes(model.weightsManifest[0] as never)).toBe((3 * 3 * 3 * 8 + 8) * 4);
    expect(expectedGroupBytes(model.weightsManifest[1] as never)).toBe(10 * 4 * 1 + 4);
  });

  it('accepts weight files of the sizes the manifest describes, across shards', () => {
    const sizes: Record<string, number> = {
      'group1-shard1of2.bin': 800,
      'group1-shard2of2.bin': 96,
      'group2-shard1of1.bin': 44,
    };
    expect(() => checkWeightSizes(model, (p) => sizes[p] ?? 0, 'test')).not.toThrow();
  });

  it('names the file and both sizes when a weight file is short', () => {
    const sizes: Record<string, number> = {
      'group1-shard1of2.bin': 800,
      'group1-shard2of2.bin': 96,
      'group2-shard1of1.bin': 40,
    };
    expect(() => checkWeightSizes(model, (p) => sizes[p] ?? 0, 'test')).toThrow(
      /group2-shard1of1\.bin hold 40 bytes, but model\.json's weightsManifest describes 44/,
    );
  });

  it('refuses weight paths that would leave the model folder', () => {
    for (const path of ['../evil.bin', '/etc/passwd', 'a/../../b', 'a\\b']) {
      const bad = json({ modelTopology: {}, weightsManifest: [{ paths: [path], weights: [] }] });
      expect(() => parseModelJson(bad, 'test')).toThrow(ModelLoadError);
    }
  });

  it('refuses files that are not TF.js models', () => {
    expect(() => parseModelJson(Buffer.from('<html>'), 'test')).toThrow(/not JSON/);
    expect(() => parseModelJson(json({ weightsManifest: [] }), 'test')).toThrow(/modelTopology/);
  });

  it('tells layers from graph models, with or without the format field', () => {
    const topology = (t: unknown, format?: string) =>
      parseModelJson(json({ format, modelTopology: t, weightsManifest: [] }), 't');
    expect(modelFormat(topology({ node: [] }, 'graph-model'))).toBe('graph');
    expect(modelFormat(topology({ node: [], versions: {} }))).toBe('graph');
    expect(modelFormat(topology({ keras_version: '2.1.4', model_config: {} }))).toBe('layers');
    expect(modelFormat(topology({ class_name: 'Sequential' }, 'layers-model'))).toBe('layers');
  });
});
