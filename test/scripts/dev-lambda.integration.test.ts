import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../shared/config.js';
import { SECURITY_HEADERS } from '../../shared/http/security-headers.js';
import { makeJpeg } from '../support/images.js';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../support/services.js';
import { freePort } from '../support/spawn-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const available = await postgresAvailable();

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** What differs by nature between two servers: ids, times and the request id. */
function comparable(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(comparable);
  if (body === null || typeof body !== 'object') return body;
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) =>
      ['id', 'createdAt', 'requestId'].includes(key) ? [key, typeof value] : [key, comparable(value)],
    ),
  );
}

async function call(
  base: string,
  method: string,
  url: string,
  init: { headers?: Record<string, string>; body?: FormData | string } = {},
): Promise<Answer> {
  const res = await fetch(`${base}${url}`, { method, ...init });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/**
 * `npm run dev:lambda` as a developer runs it: the functions bundled by serverless-esbuild under
 * serverless-offline, over the Data API emulator on the real PostgreSQL. Every answer is held against
 * the Express runtime's answer to the same request.
 */
describe.skipIf(!available)('npm run dev:lambda answers as the Express runtime does', () => {
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let output = '';
  let lambda: string;
  let lambdaToken: string;
  let express: TestApp;
  let expressToken: string;
  let dataDir: string;
  let workFolder: string;
  const databases: TempDatabase[] = [];

  beforeAll(async () => {
    const [forLambda, forExpress] = [await createTempDatabase(), await createTempDatabase()];
    databases.push(forLambda, forExpress);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-dev-lambda-'));
    // Its own build folder: a developer's running dev:lambda keeps .esbuild/.
    workFolder = `.esbuild-test-${randomBytes(4).toString('hex')}`;
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev-lambda.ts'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATA_DIR: dataDir,
        DATABASE_URL: forLambda.url,
        PORT: String(port),
        LAMBDA_PORT: String(await freePort()),
        DATA_API_PORT: '0',
        JWKS_PORT: '0',
        PETTRACKER_ESBUILD_WORK_FOLDER: workFolder,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const started = new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk;
        const token = /a 12-hour token for "alice":\n(\S+)/.exec(output)?.[1];
        if (token) resolve(token);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`dev:lambda exited (${code}):\n${output}`)));
    });
    lambda = `http://localhost:${port}`;
    lambdaToken = await started;
    express = await startTestApp({ DATABASE_URL: forExpress.url, MIGRATE_ON_START: 'true' });
    expressToken = await express.token('alice');
  }, 300_000);

  afterAll(async () => {
    if (child?.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await express?.close();
    for (const db of databases) await db.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (workFolder) await rm(path.join(projectRoot, workFolder), { recursive: true, force: true });
  });

  /** The same request to both; the answers must match but for ids and times. */
  async function both(
    method: string,
    url: string,
    init: (token: string) => { headers?: Record<string, string>; body?: FormData | string } = () => ({}),
  ): Promise<{ lambda: Answer; express: Answer }> {
    const answers = {
      lambda: await call(lambda, method, url, init(lambdaToken)),
      express: await call(express.url, method, url, init(expressToken)),
    };
    expect(
      { status: answers.lambda.status, body: comparable(answers.lambda.body) },
      `${method} ${url}`,
    ).toEqual({
      status: answers.express.status,
      body: comparable(answers.express.body),
    });
    const security = (answer: Answer) =>
      Object.fromEntries(Object.keys(SECURITY_HEADERS).map((name) => [name, answer.headers.get(name)]));
    expect(security(answers.lambda)).toEqual(SECURITY_HEADERS);
    expect(security(answers.express)).toEqual(SECURITY_HEADERS);
    const requestId = answers.lambda.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    const error = (answers.lambda.body as { error?: { requestId: string } } | undefined)?.error;
    if (error) expect(error.requestId).toBe(requestId);
    return answers;
  }

  it('probes, the model, the OpenAPI document, a 404 and a 405', async () => {
    expect((await both('GET', '/health')).lambda.body).toEqual({ status: 'ok' });
    expect((await both('GET', '/ready')).lambda.status).toBe(200);
    expect((await both('GET', '/model')).lambda.body).toMatchObject({ labelsCount: 37, untrained: true });
    expect((await both('GET', '/openapi.json')).lambda.body).toMatchObject({ openapi: expect.any(String) });
    expect((await both('GET', '/no-such-route')).lambda.status).toBe(404);
    expect((await both('POST', '/health')).lambda.headers.get('allow')).toBe('GET');
  });

  it('predict (multipart), then save, list and delete for the signed-in user', async () => {
    const jpeg = await makeJpeg(160, 120);
    const form = () => {
      const data = new FormData();
      data.append('image', new Blob([jpeg], { type: 'image/jpeg' }), 'pet.jpg');
      return { body: data };
    };
    const predicted = (await both('POST', '/predict?topK=3', form)).lambda.body as {
      predictions: unknown[];
      imageSha256: string;
      model: { version: string };
    };
    expect(predicted.predictions).toHaveLength(3);

    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const save = (token: string) => ({
      headers: { ...auth(token), 'content-type': 'application/json' },
      body: JSON.stringify({
        breed: 'Beagle',
        confidence: 0.5,
        imageSha256: predicted.imageSha256,
        modelVersion: predicted.model.version,
        source: 'model',
      }),
    });
    const saved = await both('POST', '/predictions', save);
    expect(saved.lambda.status).toBe(201);
    const list = await both('GET', '/predictions?limit=5', (token) => ({ headers: auth(token) }));
    expect((list.lambda.body as { items: unknown[] }).items).toHaveLength(1);

    const ids = {
      lambda: (saved.lambda.body as { id: string }).id,
      express: (saved.express.body as { id: string }).id,
    };
    const deleted = {
      lambda: await call(lambda, 'DELETE', `/predictions/${ids.lambda}`, { headers: auth(lambdaToken) }),
      express: await call(express.url, 'DELETE', `/predictions/${ids.express}`, {
        headers: auth(expressToken),
      }),
    };
    expect([deleted.lambda.status, deleted.lambda.body]).toEqual([deleted.express.status, undefined]);
    expect(deleted.lambda.status).toBe(204);
    await both('GET', '/predictions', (token) => ({ headers: auth(token) }));
    expect((await both('GET', '/predictions')).lambda.status).toBe(401);
  });

  it('writes no stack trace or file path into any answer', () => {
    // The answers above were compared body for body; a handler that threw would have shown here first.
    expect(output).not.toMatch(/"errorMessage"|Unhandled exception in handler/);
  });
});
