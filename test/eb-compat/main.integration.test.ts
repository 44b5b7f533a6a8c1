import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJpeg } from '../support/images.js';
import { type SpawnedServer, spawnServer } from '../support/spawn-server.js';

let dataDir: string;
let server: SpawnedServer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'pettracker-proc-'));
  server = await spawnServer(['node', '--import', 'tsx', 'eb-compat/main.ts'], { DATA_DIR: dataDir });
});
afterAll(async () => {
  if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('the Express runtime as a process (npm start)', () => {
  it('logs JSON lines with a request id for each request', async () => {
    const res = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'log-check-1' } });
    expect(res.status).toBe(200);
    // The server gathers its lines for one write every half second at most (bufferedStdout).
    const find = () =>
      server
        .output()
        .split('\n')
        .find((l) => l.includes('log-check-1'));
    for (let waited = 0; find() === undefined && waited < 3_000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const line = find();
    expect(line).toBeDefined();
    expect(JSON.parse(line as string)).toMatchObject({
      requestId: 'log-check-1',
      operation: 'health',
      status: 200,
      durationMs: expect.any(Number),
    });
  });

  // In its own process, as a client meets it: an answer at once that then closes the connection resets
  // it under an upload still being written (EPIPE), and half of these requests failed so.
  it.each([
    ['declared', (size: number) => Buffer.alloc(size, 0xff)],
    ['chunked', (size: number) => new Blob([Buffer.alloc(size, 0xff)]).stream()],
  ] as const)(
    'a client still sending a body over the limit (%s) reads the 413 every time',
    async (_kind, body) => {
      const maxImageBytes = 5 * 1024 * 1024;
      for (const size of [maxImageBytes + 100_000, 3 * maxImageBytes]) {
        for (let i = 0; i < 8; i++) {
          const res = await fetch(`${server.url}/predict`, {
            method: 'POST',
            headers: { 'content-type': 'image/jpeg' },
            body: body(size),
            duplex: 'half',
          } as RequestInit);
          expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([
            413,
            'IMAGE_TOO_LARGE',
          ]);
        }
      }
    },
  );

  it('on SIGTERM finishes the in-flight request, refuses new connections and exits 0', async () => {
    const image = await makeJpeg(640, 480);
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg', 'content-length': String(image.length) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // Half the body now, the rest after SIGTERM: the request is in flight when the signal lands.
      req.write(image.subarray(0, image.length / 2));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(image.subarray(image.length / 2)), 300);
      }, 200);
    });
    expect(await inFlight).toBe(200);
    // A new connection (agent: false): fetch could reuse an idle keep-alive socket from the tests
    // above, and a draining server rightly answers what arrives on a connection it already has.
    const fresh = new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/health`, { agent: false });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    await expect(fresh).rejects.toThrow();
    expect(await server.exited).toBe(0);
  });
});
