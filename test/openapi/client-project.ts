import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../support/fixtures.js';

/*
 * What a web or mobile team writes against the generated types: an openapi-fetch client, with no
 * cast anywhere. It is compiled as its own strict project (DOM lib, no Node types, as in a browser or
 * React Native app), then imported by the test and run against the Express app.
 */
export const CLIENT_SOURCE = `import createClient from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type SaveBody = components['schemas']['SavePredictionBody'];

export function petClient(baseUrl: string, token?: string) {
  const client = createClient<paths>({
    baseUrl,
    headers: token === undefined ? {} : { Authorization: \`Bearer \${token}\` },
  });
  return {
    /** The photo as the raw body: the Blob's bytes as they are, its type as Content-Type. */
    predictRaw: (photo: Blob, topK?: number) =>
      client.POST('/predict', {
        params: { query: topK === undefined ? {} : { topK } },
        headers: { 'Content-Type': photo.type || 'application/octet-stream' },
        body: photo,
        // openapi-fetch JSON-encodes any body that is not FormData unless told otherwise.
        bodySerializer: (body) => body,
      }),
    /** The photo as the file field "image" of a multipart/form-data body. */
    predictMultipart: (photo: Blob) =>
      client.POST('/predict', {
        body: { image: photo },
        bodySerializer: (body) => {
          const form = new FormData();
          form.append('image', body instanceof Blob ? body : body.image, 'photo');
          return form;
        },
      }),
    model: () => client.GET('/model'),
    save: (prediction: SaveBody, idempotencyKey?: string) =>
      client.POST('/predictions', {
        params: { header: idempotencyKey === undefined ? {} : { 'Idempotency-Key': idempotencyKey } },
        body: prediction,
      }),
    list: (limit?: number, cursor?: string) =>
      client.GET('/predictions', {
        params: { query: { ...(limit === undefined ? {} : { limit }), ...(cursor === undefined ? {} : { cursor }) } },
      }),
    remove: (id: string) => client.DELETE('/predictions/{id}', { params: { path: { id } } }),
  };
}

/** What a caller does with the typed answers: each line fails to compile if a field's type is wrong. */
export function describe(
  predicted: NonNullable<Awaited<ReturnType<ReturnType<typeof petClient>['predictRaw']>>['data']>,
): string {
  const best = predicted.predictions[0];
  const breed: string = best?.breed ?? 'nothing';
  const confidence: number = best?.confidence ?? 0;
  const version: string = predicted.model.version;
  return \`\${breed} (\${Math.round(confidence * 100)}%) by \${version}\`;
}
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    target: 'ES2022',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    types: [],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
  },
  files: ['client.ts'],
};

/** A project directory with the generated schema.ts, the client and a strict tsconfig. */
export async function writeClientProject(dir: string, schema: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  await writeFile(path.join(dir, 'schema.ts'), schema);
  await writeFile(path.join(dir, 'client.ts'), CLIENT_SOURCE);
}

/** tsc on the project: its diagnostics, empty when it compiles. */
export async function compile(dir: string): Promise<string> {
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await promisify(execFile)(process.execPath, [
      tsc,
      '-p',
      path.join(dir, 'tsconfig.json'),
      '--pretty',
      'false',
    ]);
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}` || String(error);
  }
}
