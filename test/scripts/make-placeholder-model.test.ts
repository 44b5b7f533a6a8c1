import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePlaceholderModel } from '../../scripts/make-placeholder-model.js';
import { placeholderDir } from '../support/fixtures.js';

describe('make-placeholder-model', () => {
  it('rebuilds byte-identical files to the committed models/placeholder', async () => {
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-placeholder-'));
    await writePlaceholderModel(outDir);
    for (const name of ['model.json', 'weights.bin', 'metadata.json']) {
      const rebuilt = await readFile(path.join(outDir, name));
      const committed = await readFile(path.join(placeholderDir, name));
      expect(rebuilt.equals(committed), `${name} differs from models/placeholder`).toBe(true);
    }
  });

  it('stays small: well under 1 MB of weights', async () => {
    const weights = await readFile(path.join(placeholderDir, 'weights.bin'));
    expect(weights.byteLength).toBeLessThan(100_000);
  });
});
