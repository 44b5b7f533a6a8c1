import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeJpeg } from '../support/images.js';
import { type SpawnedServer, spawnServer } from '../support/spawn-server.js';

interface Outcome {
  status?: number;
  /** The answer arrived whole (its declared length) and parses as JSON. */
  whole?: boolean;
  connectionClose?: boolean;
  /** No answer: the socket error's code (ECONNREFUSED: the server never accepted the connection). */
  error?: string;
}

/** One request on a keep-alive agent, settled with what the client saw of it. */
function send(
  url: URL,
  agent: Agent,
  init: { method: string; path: string; headers?: Record<string, string>; body?: Buffer },
): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      agent,
      method: init.method,
      path: init.path,
      headers: init.headers,
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        let whole = res.complete;
        try {
          JSON.parse(text);
        } catch {
          whole = false;
        }
        resolve({ status: res.statusCode, whole, connectionClose: res.headers.connection === 'close' });
      });
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? 'RESPONSE_ABORTED' }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end(init.body);
  });
}

const until = async (done: () => boolean) => {
  while (!done()) await new Promise((r) => setTimeout(r, 20));
};

let dataDir: string;
let server: SpawnedServer;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'pettracker-sigterm-'));
  server = await spawnServer(['node', '--import', 'tsx', 'eb-compat/main.ts'], { DATA_DIR: dataDir });
});
afterEach(async () => {
  if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('SIGTERM to the Express runtime (npm start, Beanstalk)', () => {
  it('under keep-alive load, answers every request it accepted in full and resets none', async () => {
    const url = new URL(server.url);
    const jpeg = await makeJpeg(64, 48);
    const loops = 16;
    const agent = new Agent({ keepAlive: true, maxSockets: loops });
    const outcomes: Outcome[] = [];
    // Each loop sends request after request on its kept-alive connection, a probe and a prediction in
    // turn, until one is not answered: after the signal, the refused connection of a closed server.
    const loop = async () => {
      for (let i = 0; ; i++) {
        const outcome = await send(
          url,
          agent,
          i % 2 === 0
            ? { method: 'GET', path: '/health' }
            : { method: 'POST', path: '/predict', headers: { 'content-type': 'image/jpeg' }, body: jpeg },
        );
        outcomes.push(outcome);
        if (outcome.error) return;
      }
    };
    const running = Array.from({ length: loops }, loop);
    await until(() => outcomes.length >= 600);
    server.child.kill('SIGTERM');
    await Promise.all(running);
    agent.destroy();

    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/"msg":"shutdown complete"/);
    const answered = outcomes.filter((o) => o.error === undefined);
    const unanswered = outcomes.filter((o) => o.error !== undefined);
    expect(answered.length).toBeGreaterThanOrEqual(600);
    expect(answered.filter((o) => o.status !== 200 || !o.whole)).toEqual([]);
    // Sent and never answered would be a reset (ECONNRESET, "socket hang up"); only refusals may end a loop.
    expect(unanswered).toEqual(Array.from({ length: loops }, () => ({ error: 'ECONNREFUSED' })));
  });

  it('answers a request that arrives on an idle kept-alive connection during the drain, with Connection: close', async () => {
    const url = new URL(server.url);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await send(url, agent, { method: 'GET', path: '/health' })).toMatchObject({
      status: 200,
      connectionClose: false,
    });
    // The connection now idles in the agent's pool. A second one, half-sent, keeps the drain going.
    const holder = new Agent({ keepAlive: true });
    const jpeg = await makeJpeg(64, 48);
    let finish = () => {};
    const inFlight = new Promise<Outcome>((resolve) => {
      const req = request({
        host: url.hostname,
        port: url.port,
        agent: holder,
        method: 'POST',
        path: '/predict',
        headers: { 'content-type': 'image/jpeg', 'content-length': String(jpeg.length) },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode, connectionClose: res.headers.connection === 'close' }),
        );
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code }));
      req.write(jpeg.subarray(0, 100));
      finish = () => req.end(jpeg.subarray(100));
    });
    await new Promise((r) => setTimeout(r, 100));

    server.child.kill('SIGTERM');
    // A new connection is refused once the server has begun draining.
    const probe = new Agent();
    let refused = false;
    while (!refused)
      refused = (await send(url, probe, { method: 'GET', path: '/health' })).error === 'ECONNREFUSED';
    expect(await send(url, agent, { method: 'GET', path: '/health' })).toEqual({
      status: 200,
      whole: true,
      connectionClose: true,
    });
    finish();
    expect(await inFlight).toEqual({ status: 200, connectionClose: true });
    expect(await server.exited).toBe(0);
    agent.destroy();
    holder.destroy();
  });
});
