import { describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../../../shared/adapters/model/model-errors.js';
import {
  contentVersion,
  parseModelMetadata,
  toModelInfo,
} from '../../../../shared/adapters/model/model-metadata.js';

const own = {
  name: 'pets',
  version: 'v7',
  labels: ['Beagle', 'Persian', 'Other'],
  species: ['dog', 'cat', null],
  inputSize: [160, 128],
  resize: 'stretch',
  normalization: { scale: 1, offset: 0 },
  output: 'logits',
};

describe('parseModelMetadata, our format', () => {
  it('reads every field into a description', () => {
    expect(parseModelMetadata(own, 'test')).toEqual({
      name: 'pets',
      version: 'v7',
      labels: ['Beagle', 'Persian', 'Other'],
      species: ['dog', 'cat', null],
      inputSize: [160, 128],
      preprocessing: { resize: 'stretch', scale: 1, offset: 0 },
      output: 'logits',
      untrained: false,
    });
  });

  it('defaults to centre crop, output auto and no version', () => {
    const { version, resize, output, species, ...rest } = own;
    const description = parseModelMetadata(rest, 'test');
    expect(description.version).toBeUndefined();
    expect(description.preprocessing.resize).toBe('center-crop');
    expect(description.output).toBe('auto');
    expect(description.species).toBeUndefined();
  });

  it('accepts species as a map and fills unmapped labels with null', () => {
    const description = parseModelMetadata({ ...own, species: { Persian: 'cat', Beagle: 'dog' } }, 'test');
    expect(description.species).toEqual(['dog', 'cat', null]);
  });

  it('rejects a species map naming an unknown label', () => {
    expect(() => parseModelMetadata({ ...own, species: { Beagel: 'dog' } }, 'test')).toThrow(/Beagel/);
  });

  it('rejects a species list of the wrong length', () => {
    expect(() => parseModelMetadata({ ...own, species: ['dog'] }, 'test')).toThrow(ModelLoadError);
  });

  it('rejects unknown keys, so a misspelt setting is not silently ignored', () => {
    expect(() => parseModelMetadata({ ...own, normalisation: { scale: 2, offset: -1 } }, 'm')).toThrow(
      ModelLoadError,
    );
  });

  it('rejects an input size that is not [height, width]', () => {
    expect(() => parseModelMetadata({ ...own, inputSize: [224] }, 'test')).toThrow(
      /metadata.json is invalid/,
    );
  });
});

describe('parseModelMetadata, Teachable Machine', () => {
  const teachable = {
    tfjsVersion: '1.3.1',
    tmVersion: '2.4.7',
    packageVersion: '0.8.4',
    packageName: '@teachablemachine/image',
    timeStamp: '2024-03-02T10:00:00.000Z',
    userMetadata: {},
    modelName: 'my pets',
    labels: ['Class 1', 'Class 2'],
    imageSize: 224,
  };

  it('implies a centre-cropped square of imageSize scaled to [-1, 1]', () => {
    const description = parseModelMetadata(teachable, 'tm');
    expect(description).toMatchObject({
      name: 'my pets',
      version: undefined,
      labels: ['Class 1', 'Class 2'],
      inputSize: [224, 224],
      preprocessing: { resize: 'center-crop', scale: 2, offset: -1 },
      output: 'auto',
      untrained: false,
    });
  });

  it('refuses grayscale exports, whose input has one channel', () => {
    expect(() => parseModelMetadata({ ...teachable, grayscale: true }, 'tm')).toThrow(/grayscale/);
  });
});

describe('model version', () => {
  const files = [Buffer.from('{"modelTopology":{}}'), Buffer.from([1, 2, 3, 4])];

  it('is a short stable hash of the files', () => {
    expect(contentVersion(files)).toMatch(/^sha256-[0-9a-f]{12}$/);
    expect(contentVersion(files)).toBe(
      contentVersion([Buffer.from(files[0] as Buffer), Buffer.from([1, 2, 3, 4])]),
    );
  });

  it('changes when a weight byte changes or bytes move between files', () => {
    expect(contentVersion([files[0] as Buffer, Buffer.from([1, 2, 3, 5])])).not.toBe(contentVersion(files));
    expect(contentVersion([Buffer.from('ab'), Buffer.from('c')])).not.toBe(
      contentVersion([Buffer.from('a'), Buffer.from('bc')]),
    );
  });

  it('comes from the metadata when it names one, else from the content hash', () => {
    const loaded = { format: 'layers' as const, backend: 'cpu', source: '/m', contentVersion: 'sha256-abc' };
    expect(toModelInfo(parseModelMetadata(own, 't'), loaded).version).toBe('v7');
    expect(toModelInfo(parseModelMetadata({ ...own, version: undefined }, 't'), loaded).version).toBe(
      'sha256-abc',
    );
  });
});
