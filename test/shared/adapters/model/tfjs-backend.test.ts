import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../shared/adapters/model/tfjs-backend.js';

// A variable specifier: tfjs-node is an optional dependency that cannot install on these machines.
const TFJS_NODE = '@tensorflow/tfjs-node';
const hasTfjsNode = await import(TFJS_NODE).then(
  () => true,
  () => false,
);

describe('selectBackend', () => {
  it("'auto' takes native TensorFlow where it loads, else the packaged WASM binaries", async () => {
    const logged: object[] = [];
    const backend = await selectBackend({ logger: { info: (obj) => logged.push(obj) } });
    expect(backend).toBe(hasTfjsNode ? 'tensorflow' : 'wasm');
    expect(tf.getBackend()).toBe(backend);
    expect(logged[0]).toMatchObject({ backend, preference: 'auto' });
    // The backend computes: a wrong .wasm path would have failed here rather than at the first request.
    expect(Array.from(tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1).dataSync()))).toEqual([2, 3]);
  });

  it('switches to an explicitly requested backend and reports it', async () => {
    expect(await selectBackend({ preference: 'cpu' })).toBe('cpu');
    expect(await selectBackend({ preference: 'wasm' })).toBe('wasm');
  });

  it.skipIf(hasTfjsNode)(
    'fails instead of falling back when the requested backend is unavailable',
    async () => {
      await expect(selectBackend({ preference: 'tensorflow' })).rejects.toThrow(/tensorflow: unavailable/);
    },
  );
});
