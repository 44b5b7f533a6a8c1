import { describe, expect, it } from 'vitest';
import { mobilenetDescription } from '../../../../shared/adapters/model/mobilenet-preset.js';

describe("the 'mobilenet' preset", () => {
  it('maps ImageNet 151-268 to dog, 281-285 to cat, everything else to no species', async () => {
    const { labels, species, inputSize, preprocessing } = await mobilenetDescription();
    expect(labels).toHaveLength(1000);
    expect(labels[151]).toBe('Chihuahua');
    expect([species?.[150], species?.[151], species?.[268], species?.[269]]).toEqual([
      null,
      'dog',
      'dog',
      null,
    ]);
    expect([species?.[280], species?.[281], species?.[285], species?.[286]]).toEqual([
      null,
      'cat',
      'cat',
      null,
    ]);
    expect(species?.filter((s) => s === 'dog')).toHaveLength(118);
    expect(inputSize).toEqual([224, 224]);
    expect(preprocessing).toEqual({ resize: 'center-crop', scale: 2, offset: -1 });
  });
});
