import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, petTrackerClient, saveBodyOf } from '../../../clients/typescript/src/index.js';
import { repoRoot } from '../../support/fixtures.js';
import { makeJpeg, makePng } from '../../support/images.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { clientProject, compile } from '../../support/typescript-project.js';

const packageDir = path.join(repoRoot, 'clients', 'typescript');

describe('the TypeScript client package (clients/typescript)', () => {
  it('compiles with strict tsc, DOM only and no Node types, as in a browser or React Native app', async () => {
    expect(await compile(packageDir)).toBe('');
  });

  describe('with the types openapi-typescript writes by default (binary bodies as string)', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await clientProject('ts-client-plain-', ['index.ts']);
      const document = JSON.parse(await readFile(path.join(repoRoot, 'docs', 'openapi.json'), 'utf8'));
      await writeFile(path.join(dir, 'schema.ts'), astToString(await openapiTS(document, { silent: true })));
      await copyFile(path.join(packageDir, 'src', 'index.ts'), path.join(dir, 'index.ts'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('does not compile: why npm run client:typescript types them as Blob', async () => {
      expect(await compile(dir)).toMatch(
        /index\.ts\(\d+,\d+\): error TS2322: Type 'Blob' is not assignable to type 'string/,
      );
    });
  });

  describe('run against the Express app', () => {
    let app: TestApp;
    let api: ReturnType<typeof petTrackerClient>;
    beforeAll(async () => {
      app = await startTestApp();
      const token = await app.token('typescript-client-user');
      api = petTrackerClient({ baseUrl: app.url, token: async () => token });
    });
    afterAll(() => app?.close());

    it.each([
      [
        'a PNG Blob typed image/png',
        async () => new Blob([new Uint8Array(await makePng(200, 150))], { type: 'image/png' }),
      ],
      [
        'a WebP Blob without a type',
        async () =>
          new Blob([
            new Uint8Array(
              await sharp(await makeJpeg(200, 150))
                .webp()
                .toBuffer(),
            ),
          ]),
      ],
    ])(
      'predicts %s, saves the answer as it is, reads it back at its Location, lists and deletes it',
      async (_name, photo) => {
        const predicted = await api.predict(await photo());
        expect(predicted.response.status, JSON.stringify(predicted.error)).toBe(200);
        const answer = predicted.data;
        if (!answer) throw new Error('no answer');
        expect(answer.predictions).toHaveLength(3);

        const body = saveBodyOf(answer);
        if (!body) throw new Error('nothing to save');
        expect(body.topK).toBe(answer.predictions);
        const saved = await api.save(body, `ts-client-${answer.imageSha256}`);
        expect(saved.response.status, JSON.stringify(saved.error)).toBe(201);
        const row = saved.data;
        if (!row) throw new Error('no row');
        expect(row.topK).toEqual(answer.predictions);
        expect(saved.response.headers.get('location')).toBe(`/predictions/${row.id}`);

        const got = await api.get(row.id);
        expect([got.response.status, got.data]).toEqual([200, row]);
        const listed = await api.list({ limit: 100 });
        expect(listed.data?.items.map((p) => p.id)).toContain(row.id);

        expect((await api.remove(row.id)).response.status).toBe(204);
        const gone = await api.get(row.id);
        expect(gone.response.status).toBe(404);
        expect(errorCode(gone.error)).toBe('NOT_FOUND');
      },
    );

    it('predicts the same photo sent as multipart, and saves a breed the user picked as user-corrected', async () => {
      const photo = new Blob([new Uint8Array(await makeJpeg(240, 160))], { type: 'image/jpeg' });
      const raw = await api.predict(photo, 5);
      const form = await api.predictMultipart(photo, 'rex.jpg');
      expect([raw.response.status, form.response.status]).toEqual([200, 200]);
      expect(form.data?.imageSha256).toBe(raw.data?.imageSha256);
      const answer = raw.data;
      if (!answer) throw new Error('no answer');
      const body = saveBodyOf(answer, answer.predictions[2]);
      expect(body).toMatchObject({ source: 'user-corrected', breed: answer.predictions[2]?.breed });
      const saved = await api.save(body as NonNullable<typeof body>);
      expect(saved.response.status, JSON.stringify(saved.error)).toBe(201);
    });
  });
});
