import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDataApiEmulator } from '../../tools/local-aws/data-api/server.js';
import { type DataApiEmulator, dataApiStoreEnv, databaseNameOf } from '../support/data-api.js';
import { MINIMAL_SAVE } from '../support/save-body.js';
import {
  createTempDatabase,
  PG_TEST_URL,
  postgresAvailable,
  type TempDatabase,
} from '../support/services.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/*
 * Store outages seen through the Express runtime: whatever the store (pg Pool, RDS Data API, PGlite)
 * and however the database is lost (connections terminated, refused, reset, black-holed), every request
 * that needs the store answers 503 STORE_UNAVAILABLE with Retry-After, never 500, and never hangs; once
 * the database is back, requests succeed again.
 */

const available = await postgresAvailable();

/** Far beyond any client timeout these tests configure: a request still open then is a hang. */
const HANG_MS = 20_000;
const UNAVAILABLE = '503 STORE_UNAVAILABLE retry-after';

type Kind = 'list' | 'save' | 'delete' | 'ready';
const KINDS: readonly Kind[] = ['list', 'save', 'delete', 'ready'];

/** One request of `kind`, described as "status code[ retry-after]", or "hung". */
async function hit(app: TestApp, kind: Kind, user = 'outage-user'): Promise<string> {
  const headers = { authorization: `Bearer ${await app.token(user)}`, 'content-type': 'application/json' };
  const init: Record<Kind, [string, RequestInit]> = {
    list: ['/predictions?limit=5', { headers }],
    save: [
      '/predictions',
      {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': randomUUID() },
        body: JSON.stringify(MINIMAL_SAVE),
      },
    ],
    delete: [`/predictions/${randomUUID()}`, { method: 'DELETE', headers }],
    ready: ['/ready', {}],
  };
  const [path, options] = init[kind];
  try {
    const res = await fetch(`${app.url}${path}`, { ...options, signal: AbortSignal.timeout(HANG_MS) });
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    const retryAfter = /^\d+$/.test(res.headers.get('retry-after') ?? '') ? ' retry-after' : '';
    return `${res.status}${body.error ? ` ${body.error.code}` : ''}${retryAfter}`;
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return 'hung';
    throw error;
  }
}

/** `rounds` requests of every kind at once, tallied by outcome. */
async function burst(app: TestApp, rounds = 3): Promise<Record<string, number>> {
  const outcomes = await Promise.all(
    Array.from({ length: rounds }, () => KINDS.map((kind) => hit(app, kind))).flat(),
  );
  return tally(outcomes);
}

function tally(outcomes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}

/** What a healthy store answers: a list, a created save, a delete of no such row, ready. */
async function expectHealthy(app: TestApp): Promise<void> {
  expect(await hit(app, 'list')).toBe('200');
  expect(await hit(app, 'save')).toBe('201');
  expect(await hit(app, 'delete')).toBe('404 NOT_FOUND');
  expect(await hit(app, 'ready')).toBe('200');
}

describe.skipIf(!available)('store outages on the pg Pool (Express)', () => {
  let database: TempDatabase;
  let proxy: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTempDatabase();
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    app = await startTestApp({
      STORE: 'pg',
      DATABASE_URL: proxy.through(database.url),
      MIGRATE_ON_START: 'true',
      PG_CONNECT_TIMEOUT_MS: '1000',
      PG_STATEMENT_TIMEOUT_MS: '3000',
      PG_QUERY_TIMEOUT_MS: '4000',
    });
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await database?.drop();
  });
  afterEach(async () => {
    await proxy.restore();
  });

  it('answers 503 STORE_UNAVAILABLE with Retry-After while PostgreSQL refuses connections, then recovers', async () => {
    await expectHealthy(app);
    await proxy.refuse();
    expect(await burst(app)).toEqual({ [UNAVAILABLE]: 12 });
    await proxy.restore();
    await expectHealthy(app);
  });

  it('answers 503 STORE_UNAVAILABLE with Retry-After while every connection is reset, then recovers', async () => {
    await expectHealthy(app);
    proxy.reset();
    expect(await burst(app)).toEqual({ [UNAVAILABLE]: 12 });
    await proxy.restore();
    await expectHealthy(app);
  });

  it('answers 503 STORE_UNAVAILABLE with Retry-After, within the client timeouts, while the network is a black hole', async () => {
    await expectHealthy(app);
    proxy.stall();
    expect(await burst(app)).toEqual({ [UNAVAILABLE]: 12 });
    await proxy.restore();
    await expectHealthy(app);
  });

  /**
   * Holds an exclusive lock on predictions until `kind`'s statement waits for it, terminates that
   * backend, and lets go: the request's first attempt fails with 57P01, deterministically.
   */
  async function terminatedMidQuery(kind: Kind): Promise<string> {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE predictions IN ACCESS EXCLUSIVE MODE');
      const answer = hit(app, kind);
      await waitFor(async () => {
        const waiting = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = $1 AND application_name = 'pettracker' AND wait_event_type = 'Lock'`,
          [databaseNameOf(database.url)],
        );
        return waiting.rowCount === 1;
      });
      await admin.query('COMMIT');
      return await answer;
    } finally {
      await admin.end();
    }
  }

  it('answers a list whose connection is terminated mid-query from a fresh connection', async () => {
    await expectHealthy(app);
    expect(await terminatedMidQuery('list')).toBe('200');
  });

  it('does not retry a save whose connection is terminated mid-insert: 503, for the client to retry with its key', async () => {
    await expectHealthy(app);
    expect(await terminatedMidQuery('save')).toBe(UNAVAILABLE);
  });

  it('never answers 500 while backends are terminated under load', async () => {
    const admin = new pg.Client({ connectionString: PG_TEST_URL });
    await admin.connect();
    const outcomes: string[] = [];
    let running = true;
    const worker = async (kind: Kind) => {
      while (running) outcomes.push(await hit(app, kind));
    };
    const load = KINDS.flatMap((kind) => [worker(kind), worker(kind)]);
    try {
      for (let round = 0; round < 6; round += 1) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = $1 AND application_name = 'pettracker'`,
          [databaseNameOf(database.url)],
        );
      }
    } finally {
      running = false;
      await Promise.all(load);
      await admin.end();
    }
    const healthy = new Set(['200', '201', '404 NOT_FOUND', UNAVAILABLE]);
    expect(tally(outcomes.filter((outcome) => !healthy.has(outcome)))).toEqual({});
    await expectHealthy(app);
  });
});

/** Polls `check` until it holds; fails after 10 s. */
async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (const started = Date.now(); !(await check()); ) {
    if (Date.now() - started > 10_000) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(!available)('store outages on the RDS Data API (Express)', () => {
  let database: TempDatabase;
  let emulator: DataApiEmulator;
  /** Between PostgreSQL and the emulator: the database behind the Data API is lost. */
  let behind: TcpProxy;
  /** Between the SDK and the emulator: the Data API endpoint itself is lost. */
  let endpoint: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTempDatabase();
    const server = new URL(PG_TEST_URL);
    behind = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    emulator = await startDataApiEmulator({ databaseUrl: behind.through(PG_TEST_URL) });
    const url = new URL(emulator.url);
    endpoint = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
    app = await startTestApp({
      ...dataApiStoreEnv(`http://127.0.0.1:${endpoint.port}`, databaseNameOf(database.url)),
      MIGRATE_ON_START: 'true',
      // The deadline of a whole store call, retries included: then 503.
      STORE_RETRY_BUDGET_MS: '1000',
    });
  });
  afterAll(async () => {
    await app?.close();
    await endpoint?.close();
    await emulator?.close();
    await behind?.close();
    await database?.drop();
  });
  afterEach(async () => {
    await endpoint.restore();
    await behind.restore();
  });

  it.each(['refuse', 'reset'] as const)(
    'answers 503 STORE_UNAVAILABLE with Retry-After when the Data API endpoint does %s, then recovers',
    async (outage) => {
      await expectHealthy(app);
      await endpoint[outage]();
      expect(await burst(app, 2)).toEqual({ [UNAVAILABLE]: 8 });
      await endpoint.restore();
      await expectHealthy(app);
    },
  );

  // The SDK waits 50 s per attempt (its request timeout stays above the 45 s statement limit) and
  // retries timeouts: only the store's deadline, STORE_RETRY_BUDGET_MS, ends these before HANG_MS.
  it('answers 503 STORE_UNAVAILABLE with Retry-After within STORE_RETRY_BUDGET_MS when the Data API endpoint is a black hole, then recovers', async () => {
    await expectHealthy(app);
    endpoint.stall();
    expect(await burst(app, 2)).toEqual({ [UNAVAILABLE]: 8 });
    await endpoint.restore();
    await expectHealthy(app);
  });

  it.each(['refuse', 'reset', 'stall'] as const)(
    'answers 503 STORE_UNAVAILABLE with Retry-After when the database behind the Data API does %s, then recovers',
    async (outage) => {
      await expectHealthy(app);
      await behind[outage]();
      expect(await burst(app, 2)).toEqual({ [UNAVAILABLE]: 8 });
      await behind.restore();
      await expectHealthy(app);
    },
  );
});

describe('store outages on PGlite (Express)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it('answers 503 STORE_UNAVAILABLE with Retry-After once the PGlite instance is closed', async () => {
    await expectHealthy(app);
    await app.runtime.core.store.close();
    expect(await burst(app)).toEqual({ [UNAVAILABLE]: 12 });
  });
});
