import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const placeholderDir = path.join(repoRoot, 'models', 'placeholder');

/** Material from outside the project: ../shared/testdata beside the repo, or PETTRACKER_TESTDATA. */
export const testdataDir = process.env.PETTRACKER_TESTDATA ?? path.resolve(repoRoot, '../shared/testdata');
export const mobilenetDir = path.join(testdataDir, 'models', 'mobilenet_v1_0.75_224');
export const petsDir = path.join(testdataDir, 'pets');
export const hasTestdata =
  existsSync(path.join(mobilenetDir, 'model.json')) && existsSync(path.join(petsDir, 'labels.csv'));

export async function placeholderFiles(): Promise<Record<string, Buffer>> {
  const names = ['model.json', 'metadata.json', 'weights.bin'];
  const files = await Promise.all(names.map((name) => readFile(path.join(placeholderDir, name))));
  return Object.fromEntries(names.map((name, i) => [name, files[i] as Buffer]));
}

export interface LoopbackServer {
  url: string;
  /** Request paths in arrival order. */
  requests: string[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with an OS-chosen port, for download tests without the network. */
export async function startLoopbackServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<LoopbackServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Serves `files` under `prefix`; anything else is 404. */
export function serveFiles(prefix: string, files: Record<string, Buffer>) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const body = pathname.startsWith(prefix) ? files[pathname.slice(prefix.length)] : undefined;
    if (body === undefined) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-length': body.byteLength,
      'content-type': 'application/octet-stream',
    });
    response.end(body);
  };
}

/**
 * The test data's MobileNet, presented as a Teachable Machine export would be: a temporary folder
 * with our own metadata.json and symlinks to the model files, which never enter the repository.
 */
export async function mobilenetExport(metadata: object): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-mobilenet-'));
  for (const name of await readdir(mobilenetDir)) {
    if (name !== 'imagenet_classes.json') await symlink(path.join(mobilenetDir, name), path.join(dir, name));
  }
  await writeFile(path.join(dir, 'metadata.json'), JSON.stringify(metadata));
  return dir;
}

/** Teachable Machine's metadata for the test data's MobileNet: its 1000 ImageNet labels at 224 px. */
export async function mobilenetTeachableMetadata(): Promise<object> {
  const labels = JSON.parse(
    await readFile(path.join(mobilenetDir, 'imagenet_classes.json'), 'utf8'),
  ) as string[];
  return { tfjsVersion: '1.3.1', modelName: 'mobilenet', labels, imageSize: 224 };
}
