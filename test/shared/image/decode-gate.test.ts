import { describe, expect, it } from 'vitest';
import { toErrorResponse } from '../../../shared/errors.js';
import { DecodeGate } from '../../../shared/image/decode-gate.js';

const MB = 1024 * 1024;

type Held = ReturnType<typeof held>;

/** A task that runs until released, recording that it started. */
function held(log: string[], name: string) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    task: async () => {
      log.push(name);
      await released;
      return name;
    },
    release: () => release(),
  };
}

const light = (bytes: number) => ({ bytes, heavy: false });
const heavy = (bytes: number) => ({ bytes, heavy: true });

/** A gate with a 100 MB budget, `maxRunning` slots and room for 4 waiters. */
const gateOf = (maxRunning: number) =>
  new DecodeGate({ budgetBytes: 100 * MB, maxRunning, maxWaiting: 4, retryAfterSeconds: 2 });

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the decode gate', () => {
  it('runs decodes together while their costs fit the budget, and queues the next', async () => {
    const gate = gateOf(4);
    const log: string[] = [];
    const [a, b, c] = [held(log, 'a'), held(log, 'b'), held(log, 'c')];
    const runs = [
      gate.run(light(50 * MB), a.task),
      gate.run(light(50 * MB), b.task),
      gate.run(light(10 * MB), c.task),
    ];
    await settle();
    expect(log).toEqual(['a', 'b']);
    expect(gate.bytesInUse).toBe(100 * MB);
    expect(gate.queued).toBe(1);
    a.release();
    await settle();
    expect(log).toEqual(['a', 'b', 'c']);
    b.release();
    c.release();
    await expect(Promise.all(runs)).resolves.toEqual(['a', 'b', 'c']);
    expect(gate.bytesInUse).toBe(0);
  });

  it('starts waiters first come, first served: a small one does not overtake a big one', async () => {
    const gate = gateOf(4);
    const log: string[] = [];
    const [a, big, small] = [held(log, 'a'), held(log, 'big'), held(log, 'small')];
    const runs = [
      gate.run(light(60 * MB), a.task),
      gate.run(light(80 * MB), big.task),
      gate.run(light(10 * MB), small.task),
    ];
    await settle();
    expect(log).toEqual(['a']);
    a.release();
    await settle();
    expect(log).toEqual(['a', 'big', 'small']);
    big.release();
    small.release();
    await Promise.all(runs);
  });

  it('bounds how many run at once whatever their cost', async () => {
    const gate = gateOf(2);
    const log: string[] = [];
    const tasks = ['a', 'b', 'c'].map((name) => held(log, name));
    const runs = tasks.map((t) => gate.run(light(1 * MB), t.task));
    await settle();
    expect(log).toEqual(['a', 'b']);
    for (const t of tasks) t.release();
    await Promise.all(runs);
    expect(log).toEqual(['a', 'b', 'c']);
  });

  it('answers 503 BUSY with Retry-After once the queue is full, and admits again after it drains', async () => {
    const gate = new DecodeGate({ budgetBytes: 10 * MB, maxRunning: 1, maxWaiting: 1, retryAfterSeconds: 3 });
    const log: string[] = [];
    const [a, b] = [held(log, 'a'), held(log, 'b')];
    const runs = [gate.run(light(MB), a.task), gate.run(light(MB), b.task)];
    const refused = await gate.run(light(MB), async () => 'c').catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 503, code: 'BUSY', retryAfterSeconds: 3 });
    expect(toErrorResponse(refused, 'r1')).toMatchObject({
      status: 503,
      headers: { 'retry-after': '3' },
      body: { error: { code: 'BUSY' } },
    });
    a.release();
    b.release();
    await Promise.all(runs);
    await expect(gate.run(light(MB), async () => 'd')).resolves.toBe('d');
  });

  it('gives the room back when a decode fails', async () => {
    const gate = new DecodeGate({ budgetBytes: 10 * MB, maxRunning: 1, maxWaiting: 0, retryAfterSeconds: 2 });
    await expect(
      gate.run(light(5 * MB), async () => {
        throw new Error('corrupt');
      }),
    ).rejects.toThrow('corrupt');
    expect(gate.bytesInUse).toBe(0);
    await expect(gate.run(light(5 * MB), async () => 'next')).resolves.toBe('next');
  });

  it('lets a decode that costs more than the whole budget run, alone', async () => {
    const gate = new DecodeGate({ budgetBytes: 10 * MB, maxRunning: 4, maxWaiting: 4, retryAfterSeconds: 2 });
    const log: string[] = [];
    const [huge, small] = [held(log, 'huge'), held(log, 'small')];
    const runs = [gate.run(light(50 * MB), huge.task), gate.run(light(MB), small.task)];
    await settle();
    expect(log).toEqual(['huge']);
    expect(gate.bytesInUse).toBe(10 * MB);
    huge.release();
    await settle();
    expect(log).toEqual(['huge', 'small']);
    small.release();
    await Promise.all(runs);
  });

  it('keeps a slot for ordinary decodes: heavy ones take at most maxRunning - 1, and wait apart', async () => {
    const gate = gateOf(2);
    const log: string[] = [];
    const [h1, h2, photo] = [held(log, 'h1'), held(log, 'h2'), held(log, 'photo')];
    const runs = [gate.run(heavy(MB), h1.task), gate.run(heavy(MB), h2.task)];
    await settle();
    expect(log).toEqual(['h1']);
    // The second heavy one waits for the heavy lane; an ordinary photo arriving after it starts at once.
    runs.push(gate.run(light(MB), photo.task));
    await settle();
    expect(log).toEqual(['h1', 'photo']);
    photo.release();
    h1.release();
    await settle();
    expect(log).toEqual(['h1', 'photo', 'h2']);
    h2.release();
    await Promise.all(runs);
  });

  it('gives heavy decodes half the queue: once it is full they get 503 BUSY, ordinary ones still wait', async () => {
    const gate = gateOf(2);
    const log: string[] = [];
    const tasks = ['h1', 'h2', 'h3', 'a', 'b'].map((name) => held(log, name));
    const [h1, h2, h3, a, b] = tasks as [Held, Held, Held, Held, Held];
    const runs = [gate.run(heavy(MB), h1.task), gate.run(heavy(MB), h2.task), gate.run(heavy(MB), h3.task)];
    await expect(gate.run(heavy(MB), async () => 'h4')).rejects.toMatchObject({ code: 'BUSY' });
    runs.push(gate.run(light(MB), a.task), gate.run(light(MB), b.task));
    await settle();
    // h1 runs, h2 and h3 wait in the heavy lane, a takes the free slot, b waits for a slot.
    expect(log).toEqual(['h1', 'a']);
    expect(gate.queued).toBe(3);
    for (const t of tasks) t.release();
    await Promise.all(runs);
    expect(log.sort()).toEqual(['a', 'b', 'h1', 'h2', 'h3']);
  });
});
