import { Redis as RawRedis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_TEST_URL, redisAvailable, uniquePrefix } from '../../../support/services.js';
import { postJson, startTestUpstash, type TestUpstash } from '../../../support/upstash.js';

const available = await redisAvailable();
const prefix = uniquePrefix('upstash-emulator');
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe.skipIf(!available)('Upstash REST emulator, spoken to with plain fetch', () => {
  let upstash: TestUpstash;
  let raw: RawRedis;
  let auth: Record<string, string>;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    postJson(`${upstash.url}${path}`, body, { ...auth, ...headers });

  beforeAll(async () => {
    upstash = await startTestUpstash();
    auth = { authorization: `Bearer ${upstash.token}` };
    raw = new RawRedis(REDIS_TEST_URL);
  });
  afterAll(async () => {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
    await upstash?.close();
  });

  it('POST / runs one command against the real Redis and answers {result}', async () => {
    expect(await post('/', ['SET', `${prefix}one`, 'héllo', 'EX', 60])).toEqual({
      status: 200,
      body: { result: 'OK' },
    });
    expect(await raw.ttl(`${prefix}one`)).toBeGreaterThan(50);
    expect(await post('/', ['GET', `${prefix}one`])).toEqual({ status: 200, body: { result: 'héllo' } });
    expect(await post('/', ['GET', `${prefix}absent`])).toEqual({ status: 200, body: { result: null } });
    expect(await post('/', ['INCR', `${prefix}counter`])).toEqual({ status: 200, body: { result: 1 } });
  });

  it('answers HGETALL as the flat field/value array Redis sends (ioredis would make it an object)', async () => {
    await post('/', ['HSET', `${prefix}hash`, 'name', 'Rex', 'age', 3]);
    expect((await post('/', ['HGETALL', `${prefix}hash`])).body).toEqual({
      result: ['name', 'Rex', 'age', '3'],
    });
  });

  it('a command Redis rejects answers 400 {error} with the Redis message', async () => {
    await raw.set(`${prefix}text`, 'not a number');
    const reply = await post('/', ['INCR', `${prefix}text`]);
    expect(reply).toEqual({
      status: 400,
      body: { error: expect.stringMatching(/^ERR value is not an integer/) },
    });
    expect((await post('/', ['NOSUCHCOMMAND'])).status).toBe(400);
  });

  it('a body that is not a command answers 400', async () => {
    expect((await post('/', { command: 'GET' })).status).toBe(400);
    expect((await post('/', [])).status).toBe(400);
    expect((await post('/', ['SET', 'k', { nested: true }])).status).toBe(400);
  });

  it('refuses commands that would change the shared connection (MULTI, SELECT, SUBSCRIBE)', async () => {
    for (const command of [['MULTI'], ['SELECT', '1'], ['SUBSCRIBE', 'ch']]) {
      const reply = await post('/', command);
      expect(reply.status).toBe(400);
      expect((reply.body as { error: string }).error).toMatch(/not allowed over REST/);
    }
  });

  it('answers 401 {error} without the right bearer token, and runs nothing', async () => {
    const key = `${prefix}unauthorized`;
    const missing = await postJson(`${upstash.url}/`, ['SET', key, 'x']);
    const wrong = await postJson(`${upstash.url}/`, ['SET', key, 'x'], { authorization: 'Bearer nope' });
    expect(missing).toEqual({ status: 401, body: { error: expect.any(String) } });
    expect(wrong).toEqual({ status: 401, body: { error: expect.any(String) } });
    expect(await raw.exists(key)).toBe(0);
  });

  it('POST /pipeline answers each command in order, an error in one not stopping the rest', async () => {
    await raw.set(`${prefix}p-text`, 'text');
    const reply = await post('/pipeline', [
      ['SET', `${prefix}p`, '1'],
      ['INCR', `${prefix}p-text`],
      ['GET', `${prefix}p`],
      ['INCR', `${prefix}p`],
      ['MULTI'],
      ['GET', `${prefix}p`],
    ]);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual([
      { result: 'OK' },
      { error: expect.stringMatching(/^ERR value is not an integer/) },
      { result: '1' },
      { result: 2 },
      { error: expect.stringMatching(/not allowed over REST/) },
      { result: '2' },
    ]);
  });

  it('POST /multi-exec applies all or nothing: a command refused while queueing aborts the rest', async () => {
    const reply = await post('/multi-exec', [
      ['SET', `${prefix}tx-a`, '1'],
      ['NOSUCHCOMMAND', 'x'],
      ['SET', `${prefix}tx-b`, '2'],
    ]);
    expect(reply).toEqual({
      status: 400,
      body: { error: expect.stringMatching(/^EXECABORT .*unknown command/) },
    });
    expect(await raw.exists(`${prefix}tx-a`, `${prefix}tx-b`)).toBe(0);
  });

  it('POST /multi-exec reports an execution error in place and applies the other commands', async () => {
    await raw.set(`${prefix}tx-text`, 'text');
    const reply = await post('/multi-exec', [
      ['SET', `${prefix}tx-c`, 'c'],
      ['INCR', `${prefix}tx-text`],
      ['GET', `${prefix}tx-c`],
    ]);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual([{ result: 'OK' }, { error: expect.stringMatching(/^ERR/) }, { result: 'c' }]);
  });

  describe('Upstash-Encoding: base64', () => {
    const base64 = { 'upstash-encoding': 'base64' };

    it('encodes string results, keeps numbers and nil, and sends a top-level OK plain', async () => {
      expect((await post('/', ['SET', `${prefix}e`, 'värde 🐕'], base64)).body).toEqual({ result: 'OK' });
      expect((await post('/', ['GET', `${prefix}e`], base64)).body).toEqual({ result: b64('värde 🐕') });
      expect((await post('/', ['GET', `${prefix}none`], base64)).body).toEqual({ result: null });
      expect((await post('/', ['INCR', `${prefix}e-n`], base64)).body).toEqual({ result: 1 });
      expect((await post('/', ['PING'], base64)).body).toEqual({ result: b64('PONG') });
    });

    it('encodes strings nested in arrays, in pipelines too, but never errors', async () => {
      await raw.set(`${prefix}e-a`, 'A');
      const mget = await post('/', ['MGET', `${prefix}e-a`, `${prefix}none`], base64);
      expect(mget.body).toEqual({ result: [b64('A'), null] });
      const pipeline = await post('/pipeline', [['GET', `${prefix}e-a`], ['NOSUCHCOMMAND']], base64);
      expect(pipeline.body).toEqual([{ result: b64('A') }, { error: expect.stringMatching(/^ERR unknown/) }]);
    });

    it('is binary-safe: bytes that are not UTF-8 come back exactly', async () => {
      const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x41]);
      await raw.set(`${prefix}e-bin`, bytes);
      const reply = await post('/', ['GET', `${prefix}e-bin`], base64);
      expect(Buffer.from((reply.body as { result: string }).result, 'base64')).toEqual(bytes);
    });
  });

  it('also answers the path form, GET /get/<key> (for curl; the client does not use it)', async () => {
    await raw.set(`${prefix}path`, 'via path');
    const res = await fetch(`${upstash.url}/get/${encodeURIComponent(`${prefix}path`)}`, { headers: auth });
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 200,
      body: { result: 'via path' },
    });
  });
});
