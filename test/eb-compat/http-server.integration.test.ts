import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../eb-compat/app.js';
import { createHttpServer } from '../../eb-compat/http-server.js';
import type { Logger } from '../../shared/ports/logger.js';
import { makeJpeg } from '../support/images.js';
import { recordingMetrics } from '../support/recording-metrics.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Line {
  level: 'info' | 'warn' | 'error' | 'debug';
  obj: Record<string, unknown>;
  msg: string | undefined;
}

function capturingLogger(lines: Line[]): Logger {
  const at =
    (level: Line['level']) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj: obj as Record<string, unknown>, msg });
    };
  const logger: Logger = {
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    debug: at('debug'),
    child: () => logger,
  };
  return logger;
}

/** Raw bytes over TCP, for what fetch will not send: a trickle, a half body, bytes that are not HTTP. */
function rawExchange(
  port: number,
  steps: (socket: ReturnType<typeof connect>) => void,
  timeoutMs = 10_000,
): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => {
      text += d.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(guard);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server neither answered nor closed within ${timeoutMs} ms; got: ${text}`));
    }, timeoutMs);
    socket.on('connect', () => steps(socket));
  });
}

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
const bodyOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));

// requestTimeout beyond rawExchange's 10 s guard: a trickle that the headers or body deadline fails to
// end is then reported by the guard, not ended by requestTimeout, so no test needs to time the close.
const TIMEOUTS = {
  headersTimeoutMs: 600,
  requestTimeoutMs: 60_000,
  checkIntervalMs: 100,
  keepAliveTimeoutMs: 5_000,
};
const BODY_TIMEOUT_MS = 700;

let base: TestApp;
let server: Server;
let port: number;
const lines: Line[] = [];
const metrics = recordingMetrics();

beforeAll(async () => {
  base = await startTestApp({ MAX_IMAGE_BYTES: '300000' }, { logger: capturingLogger(lines), metrics });
  // The same core on the production server factory, with short timeouts so the tests wait little.
  const app = createApp(base.runtime.core, { draining: false }, { metrics, bodyTimeoutMs: BODY_TIMEOUT_MS });
  server = createHttpServer(app, TIMEOUTS).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await base?.close();
});
beforeEach(() => {
  lines.length = 0;
  metrics.events.length = 0;
});

const alive = async () => expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

describe('Express transport: clients that go away or take too long', () => {
  it('logs a client that disconnects mid-upload at info as 499 CLIENT_CLOSED_REQUEST, never as a server error', async () => {
    await rawExchange(port, (socket) => {
      socket.write(
        'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 200000\r\n\r\n',
      );
      socket.write(Buffer.alloc(5_000, 0xff));
      setTimeout(() => socket.destroy(), 100);
    });
    // Polled, not slept for: the server logs once it has seen the close, whenever a busy machine lets it.
    const request = await vi.waitFor(
      () => lines.find((l) => l.obj.operation === 'predict') ?? expect.fail('no predict line yet'),
      { timeout: 10_000 },
    );
    expect(request).toMatchObject({ level: 'info', obj: { status: 499, code: 'CLIENT_CLOSED_REQUEST' } });
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(metrics.named('ServerError')).toEqual([]);
    expect(metrics.named('ClientError')).toEqual([
      expect.objectContaining({ dimensions: { Operation: 'predict', Code: 'CLIENT_CLOSED_REQUEST' } }),
    ]);
    await alive();
  });

  it('ends a body that trickles past the body deadline with 408 REQUEST_TIMEOUT as JSON, and closes', async () => {
    const { text } = await rawExchange(port, (socket) => {
      socket.write(
        'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 10000\r\n\r\n',
      );
      // One byte every 100 ms: never idle long, never done.
      const drip = setInterval(() => (socket.writable ? socket.write('x') : clearInterval(drip)), 100);
      socket.on('close', () => clearInterval(drip));
    });
    expect(statusOf(text)).toBe(408);
    expect(bodyOf(text).error.code).toBe('REQUEST_TIMEOUT');
    expect(text.toLowerCase()).toContain('connection: close');
    expect(lines.find((l) => l.obj.operation === 'predict')).toMatchObject({
      level: 'info',
      obj: { status: 408, code: 'REQUEST_TIMEOUT' },
    });
    await alive();
  });

  it('ends headers that trickle past headersTimeout with 408 as JSON, and closes', async () => {
    const { text } = await rawExchange(port, (socket) => {
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
      const drip = setInterval(
        () => (socket.writable ? socket.write('X-A: b\r\n') : clearInterval(drip)),
        100,
      );
      socket.on('close', () => clearInterval(drip));
    });
    expect(statusOf(text)).toBe(408);
    expect(bodyOf(text).error).toMatchObject({ code: 'REQUEST_TIMEOUT', requestId: expect.any(String) });
    await alive();
  });

  it('keeps an idle kept-alive connection open past headersTimeout (a balancer reuses it)', async () => {
    const { text } = await rawExchange(port, (socket) => {
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
      setTimeout(
        () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
        TIMEOUTS.headersTimeoutMs * 2,
      );
    });
    expect(text.match(/HTTP\/1\.1 200/g), text).toHaveLength(2);
  });

  it('answers bytes that are not HTTP with 400 MALFORMED_REQUEST as JSON', async () => {
    const { text } = await rawExchange(port, (socket) => socket.write('HELLO THERE\r\n\r\n'));
    expect(statusOf(text)).toBe(400);
    expect(bodyOf(text).error.code).toBe('MALFORMED_REQUEST');
    await alive();
  });

  it('answers oversized headers with 431 HEADERS_TOO_LARGE as JSON', async () => {
    const { text } = await rawExchange(port, (socket) =>
      socket.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    );
    expect(statusOf(text)).toBe(431);
    expect(bodyOf(text).error.code).toBe('HEADERS_TOO_LARGE');
    await alive();
  });

  it('answers a full upload normally on the same server (the deadlines do not cut honest clients)', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: await makeJpeg(120, 90),
    });
    expect(res.status).toBe(200);
  });

  it('logs and meters a malformed path like any other answer, with its request id', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/predictions/%E0%A4%A`, {
      method: 'DELETE',
      headers: { 'x-request-id': 'malformed-1' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-request-id')).toBe('malformed-1');
    expect(lines.find((l) => l.obj.requestId === 'malformed-1')).toMatchObject({
      level: 'info',
      obj: { status: 400, code: 'MALFORMED_URL' },
    });
    expect(metrics.named('ClientError')).toHaveLength(1);
  });
});

describe('Express transport: a body that ends early', () => {
  it('answers a client that half-closes before its declared Content-Length with 400, and stays up', async () => {
    const { text } = await rawExchange(port, (socket) => {
      socket.write(
        'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 5000\r\n\r\n',
      );
      socket.end(Buffer.alloc(100, 0xff));
    });
    expect(statusOf(text)).toBe(400);
    expect(bodyOf(text).error.code).toBe('MALFORMED_REQUEST');
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(metrics.named('ServerError')).toEqual([]);
    await alive();
  });
});

describe('Express transport: a body refused for its size', () => {
  it('reads the refused rest and keeps the connection for the next request', async () => {
    const size = 400_000;
    const { text } = await rawExchange(port, (socket) => {
      socket.write(
        `POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: ${size}\r\n\r\n`,
      );
      socket.write(Buffer.alloc(size, 0xff));
      socket.end('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([413, 200]);
  });

  it('cuts off a refused body still arriving at the body deadline', async () => {
    const { text, closedAfterMs } = await rawExchange(port, (socket) => {
      socket.write(
        'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 100000000\r\n\r\n',
      );
      const drip = setInterval(
        () => (socket.writable ? socket.write(Buffer.alloc(1000)) : clearInterval(drip)),
        50,
      );
      socket.on('close', () => clearInterval(drip));
    });
    expect(statusOf(text)).toBe(413);
    // A lower bound only: a busy machine can make the close later, never earlier.
    expect(closedAfterMs).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 50);
    await alive();
  });
});
