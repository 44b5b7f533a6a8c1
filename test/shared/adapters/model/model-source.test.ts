import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../../../shared/adapters/model/model-errors.js';
import { describeModelSource } from '../../../../shared/adapters/model/model-source.js';
import { placeholderDir, repoRoot } from '../../../support/fixtures.js';

const folderWith = async (files: Record<string, string>) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-describe-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
};

describe("a model's description from its metadata alone", () => {
  it("reads a folder's metadata.json: the bundled model's 37 breeds", async () => {
    const described = await describeModelSource(path.join(repoRoot, 'models', 'pets-mobilenet-v1'));
    const metadata = JSON.parse(
      await readFile(path.join(repoRoot, 'models', 'pets-mobilenet-v1', 'metadata.json'), 'utf8'),
    );
    expect(described.labels).toHaveLength(37);
    expect(described.labels).toEqual(metadata.labels);
  });

  it('needs neither model.json nor the weights', async () => {
    const metadata = await readFile(path.join(placeholderDir, 'metadata.json'), 'utf8');
    const described = await describeModelSource(await folderWith({ 'metadata.json': metadata }));
    expect(described.labels).toContain('Bengal');
  });

  it("gives the 'mobilenet' preset's 1000 ImageNet labels without the network", async () => {
    expect((await describeModelSource('mobilenet')).labels).toHaveLength(1000);
  });

  it('fails with ModelLoadError when metadata.json is missing, not JSON, or invalid', async () => {
    const missing = await folderWith({ 'model.json': '{}' });
    await expect(describeModelSource(missing)).rejects.toThrow(/metadata\.json is missing/);
    const broken = await folderWith({ 'metadata.json': '{"labels": [' });
    await expect(describeModelSource(broken)).rejects.toThrow(/metadata\.json is not JSON/);
    const invalid = await folderWith({ 'metadata.json': '{"labels": []}' });
    await expect(describeModelSource(invalid)).rejects.toBeInstanceOf(ModelLoadError);
    await expect(describeModelSource(path.join(missing, 'nowhere'))).rejects.toThrow(/not a folder/);
  });
});
