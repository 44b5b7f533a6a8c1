import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTfjsModel, type TfjsModel } from '../../../shared/adapters/model/tfjs-model.js';
import { projectRoot } from '../../../shared/config.js';
import { AppError } from '../../../shared/errors.js';
import { DecodeGate } from '../../../shared/image/decode-gate.js';
import { decodeImage } from '../../../shared/image/decode-image.js';
import { readImageHeader } from '../../../shared/image/image-header.js';
import { predict } from '../../../shared/use-cases/predict.js';
import { makeJpeg } from '../../support/images.js';
import { coreWith } from '../../support/model-core.js';
import { doubleIhdrBomb, iend, ihdr, pngOf, rowBytes, zeroRows } from '../../support/png-chunks.js';

// Hostile PNGs (two IHDRs, zlib bombs, strips past the sample limit), through the predict use case
// and a real model. Memory is read as this
// process's peak RSS (each integration file runs in a process of its own) and CPU as the process's
// CPU time, which other load on the machine does not inflate the way it does wall-clock time.

const MB = 1024 * 1024;
let model: TfjsModel;

beforeAll(async () => {
  model = await loadTfjsModel({ uri: path.join(projectRoot, 'models/placeholder'), backend: 'wasm' });
});
afterAll(() => model?.dispose());

const statusMb = (field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;

/** Runs `task`, answering its outcome, the peak RSS rise (MB) and the CPU seconds it took. */
async function measured(task: () => Promise<unknown>) {
  globalThis.gc?.();
  const baseline = statusMb('VmRSS');
  writeFileSync('/proc/self/clear_refs', '5'); // resets the peak (VmHWM) to the current RSS
  const cpu = process.cpuUsage();
  const outcome = await task().then(
    () => 'ok',
    (error: unknown) => (error instanceof AppError ? error.code : `threw ${String(error)}`),
  );
  const { user, system } = process.cpuUsage(cpu);
  return { outcome, riseMb: statusMb('VmHWM') - baseline, cpuSeconds: (user + system) / 1e6 };
}

const core = () => ({
  ...coreWith(model),
  limits: { maxImageBytes: 5 * MB, maxImagePixels: 40_000_000, defaultTopK: 3, maxTopK: 10 },
});

describe('hostile PNGs through predict', () => {
  it.each([
    ['zero', false],
    ['Paeth', true],
  ])(
    'a PNG whose second IHDR says a 178-million-pixel row (%s rows) costs what its first IHDR says',
    async (_, paeth) => {
      const bomb = await doubleIhdrBomb(178_000_000, paeth);
      expect(bomb.length).toBeLessThan(1.1 * MB);
      const { outcome, riseMb, cpuSeconds } = await measured(() =>
        predict(core(), { image: bomb, contentType: 'image/png', topK: 3 }),
      );
      // The first IHDR's 30000x256 strip of zeros is a real image: decoded as that, and answered.
      expect(['ok', 'CORRUPT_IMAGE']).toContain(outcome);
      // Before: two rows of 534 MB each (RSS +1 GB) and, with Paeth rows, ~30 s of CPU.
      expect(riseMb).toBeLessThan(128);
      expect(cpuSeconds).toBeLessThan(5);
    },
  );

  it('cuts a decode at its CPU budget: 422 IMAGE_TOO_COMPLEX, the CPU spent near the budget, not the whole decode', async () => {
    // 100 MP of 16-bit RGBA, Paeth-filtered: ~800 MB of samples, many seconds of libvips' time.
    const [width, height] = [10_000, 10_000];
    const data = await zeroRows(rowBytes(width, 16, 6), height, 4);
    const png = pngOf([ihdr(width, height, 16, 6), { type: 'IDAT', data }, iend]);
    const header = await readImageHeader(png);
    const target = { inputSize: [128, 128] as const, resize: 'center-crop' as const };
    const { outcome, cpuSeconds } = await measured(() => decodeImage(png, header, target, 1));
    expect(outcome).toBe('IMAGE_TOO_COMPLEX');
    expect(cpuSeconds).toBeLessThan(4);
  });

  it('answers an ordinary photo while heavy decodes hold the gate: it does not queue behind them', async () => {
    // 40 MP of 8-bit RGBA, Paeth-filtered: within the limits, heavy (160 MB of samples), ~2 s each.
    const heavy = async (n: number) => {
      const data = await zeroRows(rowBytes(6_324 + n, 8, 6), 6_324, 4);
      return pngOf([ihdr(6_324 + n, 6_324, 8, 6), { type: 'IDAT', data }, iend]);
    };
    const [first, second] = await Promise.all([heavy(0), heavy(1)]);
    const decodeGate = new DecodeGate({
      budgetBytes: 128 * MB,
      maxRunning: 2,
      maxWaiting: 16,
      retryAfterSeconds: 2,
    });
    const served = { ...core(), decodeGate };
    const order: string[] = [];
    // Only the order counts: on a loaded machine a heavy decode may even pass its CPU budget (422).
    const send = (name: string, image: Buffer) =>
      predict(served, { image, contentType: undefined, topK: 1 }).then(
        () => order.push(name),
        () => order.push(name),
      );
    const heavies = [send('heavy 1', first), send('heavy 2', second)];
    while (decodeGate.bytesInUse === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await send('photo', await makeJpeg(800, 600));
    await Promise.all(heavies);
    // Before: both heavy decodes ran at once and the photo waited for one of them to end.
    expect(order[0]).toBe('photo');
    expect([...order].sort()).toEqual(['heavy 1', 'heavy 2', 'photo']);
  });
});
