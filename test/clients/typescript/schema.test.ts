import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientTypes } from '../../../scripts/openapi-client-types.js';
import { repoRoot } from '../../support/fixtures.js';

const packageDir = path.join(repoRoot, 'clients', 'typescript');
const document = async () => JSON.parse(await readFile(path.join(repoRoot, 'docs', 'openapi.json'), 'utf8'));

describe('the TypeScript client package (clients/typescript)', () => {
  it('holds the types generated from docs/openapi.json (run npm run client:typescript after npm run openapi)', async () => {
    const committed = await readFile(path.join(packageDir, 'src', 'schema.ts'), 'utf8');
    expect(committed).toBe(await clientTypes(await document()));
  });

  it('types the photo of every raw and multipart upload as a Blob', async () => {
    const schema = await readFile(path.join(packageDir, 'src', 'schema.ts'), 'utf8');
    const predictBody = schema.slice(
      schema.indexOf('    predict: {'),
      schema.indexOf('    savePrediction: {'),
    );
    for (const type of ['application/octet-stream', 'image/jpeg', 'image/png', 'image/webp']) {
      expect(predictBody).toContain(`"${type}": Blob;`);
    }
    expect(predictBody).toMatch(/"multipart\/form-data": \{[^}]*image: Blob;/);
  });

  it("carries the contract's version", async () => {
    const pkg = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8'));
    expect(pkg.version).toBe((await document()).info.version);
  });
});
