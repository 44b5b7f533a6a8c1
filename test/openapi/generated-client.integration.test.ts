import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientTypes } from '../../scripts/openapi-client-types.js';
import { repoRoot } from '../support/fixtures.js';
import { makeJpeg } from '../support/images.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { compile, writeClientProject } from './client-project.js';

const documentFile = path.join(repoRoot, 'docs', 'openapi.json');

/*
 * The generated client module as this test uses it. It exists only under test-artifacts at run time,
 * so the repository's typecheck cannot see its types; the compile test above checks the real ones.
 */
type Answer<T> = { response: Response; data?: T; error?: unknown };
type Predicted = { predictions: unknown[]; imageSha256: string; model: { version: string } };
interface GeneratedClient {
  petClient(
    baseUrl: string,
    token?: string,
  ): {
    predictRaw(photo: Blob, topK?: number): Promise<Answer<Predicted>>;
    predictMultipart(photo: Blob): Promise<Answer<Predicted>>;
    model(): Promise<Answer<{ labels: string[] }>>;
    save(prediction: Record<string, unknown>, idempotencyKey?: string): Promise<Answer<{ id: string }>>;
    list(limit?: number): Promise<Answer<{ items: { id: string }[] }>>;
    remove(id: string): Promise<Answer<undefined>>;
  };
  describe(predicted: Predicted): string;
}
let dir: string;

beforeAll(async () => {
  await mkdir(path.join(repoRoot, 'test-artifacts'), { recursive: true });
  dir = await mkdtemp(path.join(repoRoot, 'test-artifacts', 'openapi-client-'));
  const document = JSON.parse(await readFile(documentFile, 'utf8'));
  await writeClientProject(path.join(dir, 'blob'), await clientTypes(document));
  // openapi-typescript as its CLI runs it, without the transform: what FACTS.md says fails.
  await writeClientProject(path.join(dir, 'plain'), astToString(await openapiTS(document, { silent: true })));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a client generated with openapi-typescript from docs/openapi.json', () => {
  it('types binary bodies as Blob', async () => {
    const schema = await readFile(path.join(dir, 'blob', 'schema.ts'), 'utf8');
    const predictBody = schema.slice(
      schema.indexOf('    predict: {'),
      schema.indexOf('    savePrediction: {'),
    );
    for (const type of ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream']) {
      expect(predictBody).toContain(`"${type}": Blob;`);
    }
    expect(predictBody).toMatch(/"multipart\/form-data": \{[^}]*image: Blob;/);
  });

  it('compiles with tsc (strict) uploading a Blob raw and as multipart, with no cast', async () => {
    expect(await compile(path.join(dir, 'blob'))).toBe('');
  });

  it('does not compile when binary bodies are typed as openapi-typescript does by default (string)', async () => {
    const diagnostics = await compile(path.join(dir, 'plain'));
    expect(diagnostics).toMatch(
      /client\.ts\(\d+,\d+\): error TS2322: Type 'Blob' is not assignable to type 'string/,
    );
  });

  describe('run against the Express app', () => {
    let app: TestApp;
    let client: ReturnType<GeneratedClient['petClient']>;
    let describePrediction: GeneratedClient['describe'];
    let jpeg: Blob;

    beforeAll(async () => {
      app = await startTestApp();
      const module = (await import(
        pathToFileURL(path.join(dir, 'blob', 'client.ts')).href
      )) as GeneratedClient;
      client = module.petClient(app.url, await app.token('generated-client-user'));
      describePrediction = module.describe;
      jpeg = new Blob([new Uint8Array(await makeJpeg(200, 150))], { type: 'image/jpeg' });
    });
    afterAll(() => app?.close());

    it('predicts from a Blob sent raw and as multipart, saves, lists and deletes', async () => {
      const raw = await client.predictRaw(jpeg, 2);
      expect(raw.response.status, JSON.stringify(raw.error)).toBe(200);
      expect(raw.data?.predictions).toHaveLength(2);
      if (raw.data) expect(describePrediction(raw.data)).toMatch(/ by /);

      const multipart = await client.predictMultipart(jpeg);
      expect(multipart.response.status, JSON.stringify(multipart.error)).toBe(200);
      expect(multipart.data?.imageSha256).toBe(raw.data?.imageSha256);

      const labels = (await client.model()).data?.labels ?? [];
      const saved = await client.save(
        {
          breed: labels[0] ?? '',
          confidence: 0.5,
          imageSha256: raw.data?.imageSha256 ?? '',
          modelVersion: raw.data?.model.version ?? '',
          source: 'model',
        },
        'generated-client-key',
      );
      expect(saved.response.status, JSON.stringify(saved.error)).toBe(201);
      const id = saved.data?.id ?? '';

      const listed = await client.list(10);
      expect(listed.response.status).toBe(200);
      expect(listed.data?.items.map((p) => p.id)).toEqual([id]);

      expect((await client.remove(id)).response.status).toBe(204);
      const missing = await client.remove(id);
      expect(missing.response.status).toBe(404);
      expect(missing.error).toMatchObject({ error: { code: 'NOT_FOUND' } });
    });
  });
});
