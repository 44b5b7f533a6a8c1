import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHttpServer } from '../../eb-compat/http-server.js';
import { logRequestLines } from '../../shared/observability/request-line.js';
import type { Logger } from '../../shared/ports/logger.js';
import { makeJpeg } from '../support/images.js';
import { recordingLines } from '../support/recording-metrics.js';
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
const headerOf = (text: string, name: string) =>
  new RegExp(`^${name}: (.*)$`, 'im').exec(text.slice(0, text.indexOf('\r\n\r\n')))?.[1]?.trim();

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
const logger = capturingLogger(lines);
const metrics = recordingLines(logRequestLines(logger));

beforeAll(async () => {
  base = await startTestApp({ MAX_IMAGE_BYTES: '300000' }, { logger });
  // The same core on the production server factory, with short timeouts so the tests wait little.
  const options = { requestLines: metrics, bodyTimeoutMs: BODY_TIMEOUT_MS, timeouts: TIMEOUTS };
  server = createHttpServer(base.runtime.core, options).listen(0, '127.0.0.1');
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

describe('Express transport: request targets Express cannot route', () => {
  // Node reports what it would print on stderr (a deprecation of url.parse's handling) as a warning.
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  beforeAll(() => {
    process.on('warning', onWarning);
  });
  afterAll(() => {
    process.off('warning', onWarning);
  });

  const exchange = async (target: string, headers = '') =>
    (
      await rawExchange(port, (socket) =>
        socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`),
      )
    ).text;

  /** A JSON error with a stable code, its request id in header and body, and exactly one line. */
  function expectJsonError(text: string, codes: readonly string[]) {
    expect(statusOf(text), text).toBeGreaterThanOrEqual(400);
    expect(statusOf(text), text).toBeLessThan(500);
    expect(headerOf(text, 'content-type')).toMatch(/^application\/json/);
    const { error } = bodyOf(text);
    expect(codes).toContain(error.code);
    expect(headerOf(text, 'x-request-id')).toBe(error.requestId);
    expect(lines.filter((l) => l.obj.requestId === error.requestId)).toHaveLength(1);
    return error as { code: string; requestId: string };
  }

  it("answers an absolute-form target whose host does not parse with 400 MALFORMED_REQUEST, under the caller's id", async () => {
    const text = await exchange('http://[::1/predict', 'X-Request-Id: bad-host-1\r\n');
    expect(statusOf(text)).toBe(400);
    expect(expectJsonError(text, ['MALFORMED_REQUEST'])).toMatchObject({ requestId: 'bad-host-1' });
    expect(lines.find((l) => l.obj.requestId === 'bad-host-1')).toMatchObject({
      level: 'info',
      obj: { status: 400, code: 'MALFORMED_REQUEST', method: 'GET' },
    });
    expect(warnings).toEqual([]);
  });

  it('serves an absolute-form target that parses as its path', async () => {
    expect(statusOf(await exchange('http://[::1]:8080/health'))).toBe(200);
    const text = await exchange('HTTP://example.com/predictions/%E0%A4%A');
    expect(expectJsonError(text, ['MALFORMED_URL']).code).toBe('MALFORMED_URL');
  });

  it('answers any malformed request target with a JSON error, never HTML, a 5xx or stderr noise', async () => {
    const char = (chars: string) => fc.constantFrom(...chars.split(''));
    const authority = fc.string({ unit: char("[]:%@.019afAF-_~!$&'()*+,;=v"), maxLength: 24 });
    // Paths that would be a file of the try-it page are left out: those are HTML by design.
    const path = fc.constantFrom('/predict', '/nope', '/predictions/%E0%A4%A', '/predictions/x?limit=%zz');
    const target = fc.oneof(
      fc
        .tuple(fc.constantFrom('http', 'https', 'HTTP', 'ftp', 'h', ''), authority, path)
        .map(([scheme, host, rest]) => `${scheme}://${host}${rest}`),
      // Any other form: no leading '/', printable, no space (which would end the target).
      fc
        .string({ unit: char("abz09*:/?#[]@%!$&'()+,;=.-_~"), minLength: 1, maxLength: 20 })
        .filter((t) => !t.startsWith('/')),
      fc
        .string({ unit: char('/%abcdefABCDEF0123456789ghz'), maxLength: 20 })
        .map((t) => `/predictions/%${t}`),
    );
    await fc.assert(
      fc.asyncProperty(target, async (t) => {
        const text = await exchange(t);
        expect(text).not.toMatch(/<html|<!DOCTYPE/i);
        // GET /predictions/{id} needs a token before its id is read: 401.
        expectJsonError(text, [
          'MALFORMED_REQUEST',
          'MALFORMED_URL',
          'NOT_FOUND',
          'METHOD_NOT_ALLOWED',
          'UNAUTHENTICATED',
        ]);
      }),
      { numRuns: 300 },
    );
    expect(warnings).toEqual([]);
    await alive();
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
