import { request } from 'node:http';
import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINIMAL_SAVE } from '../../support/save-body.js';
import { postgresAvailable, redisAvailable } from '../../support/services.js';
import type { BundleProcess } from './support/bundle-process.js';
import { type BundleStack, bundleStack } from './support/bundle-stack.js';
import { loadLoop } from './support/load-loop.js';

const available = (await postgresAvailable()) && (await redisAvailable());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SAVE = JSON.stringify(MINIMAL_SAVE);

/** A save whose body is half sent now and finished by the returned function: in flight for sure. */
function slowSave(url: string, token: string) {
  let finish = () => {};
  const status = new Promise<number>((resolve, reject) => {
    const req = request(`${url}/predictions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': String(SAVE.length),
      },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.write(SAVE.slice(0, 20));
    finish = () => req.end(SAVE.slice(20));
  });
  return { status, finish: () => finish() };
}

function refusesConnections(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

async function poolConnections(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const sql =
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pettracker'";
    return (await client.query(sql)).rows[0].n;
  } finally {
    await client.end();
  }
}

describe.skipIf(!available)('SIGTERM to the bundled server under load (PostgreSQL, Redis)', () => {
  let stack: BundleStack;
  let server: BundleProcess;
  beforeAll(async () => {
    stack = await bundleStack();
    expect((await stack.migrate()).code).toBe(0);
    server = await stack.start();
  }, 240_000);
  afterAll(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    await stack?.close();
  });

  it('finishes in-flight saves with 2xx, refuses new connections, closes the pool and exits 0', async () => {
    const token = await stack.token('sigterm');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const load = loadLoop(8, () =>
      fetch(`${server.url}/predictions`, { method: 'POST', headers, body: SAVE }),
    );
    await sleep(1_000);
    expect(await poolConnections(stack.db.url)).toBeGreaterThan(0);
    const inFlight = [1, 2, 3].map(() => slowSave(server.url, token));
    await sleep(100);

    const signalledAt = performance.now();
    server.child.kill('SIGTERM');
    await sleep(200);
    expect(server.child.exitCode).toBeNull(); // held open by the in-flight saves
    expect(await refusesConnections(server.port)).toBe('ECONNREFUSED');
    for (const request of inFlight) request.finish();
    expect(await Promise.all(inFlight.map((r) => r.status))).toEqual([201, 201, 201]);

    expect(await server.exited).toBe(0);
    await load.stop();
    expect(server.output()).toMatch(/"msg":"shutdown complete"/);
    expect(await poolConnections(stack.db.url)).toBe(0);

    const before = load.outcomes.filter((o) => o.sentAt < signalledAt);
    const after = load.outcomes.filter((o) => o.sentAt >= signalledAt);
    expect(before.length).toBeGreaterThan(20);
    expect(before.filter((o) => o.status !== 201)).toEqual([]);
    // Past the signal a save is either answered 201 (with Connection: close once the server has seen
    // the signal) or never reaches it (connection refused): never a 5xx, never a reset.
    for (const o of after) {
      if (o.status !== undefined) expect(o.status).toBe(201);
      else expect(o.error).toBe('ECONNREFUSED');
    }
    expect(after.some((o) => o.error === 'ECONNREFUSED')).toBe(true);
  });
});
