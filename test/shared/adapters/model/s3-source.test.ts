import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeModelSource, resolveModelSource } from '../../../../shared/adapters/model/model-source.js';
import { parseS3Uri, s3Key } from '../../../../shared/adapters/model/s3-source.js';
import { type LoopbackServer, placeholderFiles, startLoopbackServer } from '../../../support/fixtures.js';

/** Just enough of S3 for GetObject, path-style: GET /bucket/key, NoSuchKey as S3 words it. */
function fakeS3(objects: Record<string, Buffer>) {
  return startLoopbackServer((request, response) => {
    const objectPath = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).slice(1);
    const body = request.method === 'GET' ? objects[objectPath] : undefined;
    if (body === undefined) {
      response.writeHead(404, { 'content-type': 'application/xml' });
      response.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code>' +
          `<Message>The specified key does not exist.</Message><Key>${objectPath}</Key></Error>`,
      );
      return;
    }
    response.writeHead(200, {
      'content-length': body.byteLength,
      'content-type': 'binary/octet-stream',
      etag: '"x"',
    });
    response.end(body);
  });
}

let server: LoopbackServer;
let client: S3Client;
let files: Record<string, Buffer>;

beforeAll(async () => {
  files = await placeholderFiles();
  server = await fakeS3({
    'models/pets/v3/model.json': files['model.json'] as Buffer,
    'models/pets/v3/weights.bin': files['weights.bin'] as Buffer,
    'models/pets/v3/metadata.json': files['metadata.json'] as Buffer,
    'models/nometa/model.json': files['model.json'] as Buffer,
    'models/nometa/weights.bin': files['weights.bin'] as Buffer,
  });
  client = new S3Client({
    endpoint: server.url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

describe('models from S3', () => {
  it('fetches model.json, metadata.json and the manifest weight files under the prefix', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-s3-'));
    const resolved = await resolveModelSource('s3://models/pets/v3/', { s3Client: client, cacheDir });
    expect(server.requests.filter((p) => p.includes('/pets/v3/'))).toEqual([
      '/models/pets/v3/model.json',
      '/models/pets/v3/metadata.json',
      '/models/pets/v3/weights.bin',
    ]);
    expect(await readFile(path.join(resolved.dir, 'weights.bin'))).toEqual(files['weights.bin']);
    expect(resolved.source).toBe('s3://models/pets/v3/');
  });

  it('reads the labels from metadata.json alone (one GetObject), and names a missing one', async () => {
    const before = server.requests.length;
    const described = await describeModelSource('s3://models/pets/v3', { s3Client: client });
    expect(described.labels).toContain('Bengal');
    expect(server.requests.slice(before)).toEqual(['/models/pets/v3/metadata.json']);
    await expect(describeModelSource('s3://models/nometa', { s3Client: client })).rejects.toThrow(
      /s3:\/\/models\/nometa: metadata\.json is missing/,
    );
  });

  it('treats a missing metadata.json as absent (NoSuchKey), not as a failure', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-s3-'));
    const resolved = await resolveModelSource('s3://models/nometa', { s3Client: client, cacheDir });
    await expect(readFile(path.join(resolved.dir, 'metadata.json'))).rejects.toThrow(/ENOENT/);
  });

  it('fails naming the object when model.json is missing', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-s3-'));
    await expect(resolveModelSource('s3://models/none', { s3Client: client, cacheDir })).rejects.toThrow(
      /s3:\/\/models\/none: model\.json was not found/,
    );
  });
});

describe('S3 keys', () => {
  it('splits bucket and prefix, ignoring trailing slashes', () => {
    expect(parseS3Uri('s3://bucket/a/b/')).toEqual({ bucket: 'bucket', prefix: 'a/b' });
    expect(parseS3Uri('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(() => parseS3Uri('s3:///x')).toThrow(/not an s3:\/\/bucket\/prefix/);
  });

  it('puts files under the prefix, or at the root for an empty prefix', () => {
    expect(s3Key({ bucket: 'b', prefix: 'a/b' }, 'group1-shard1of2.bin')).toBe('a/b/group1-shard1of2.bin');
    expect(s3Key({ bucket: 'b', prefix: '' }, 'model.json')).toBe('model.json');
  });
});
