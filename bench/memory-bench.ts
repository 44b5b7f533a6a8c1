/**
 * The memory row: the RSS rise while 16 worst-shape images within the limits are predicted at once,
 * through the predict use case and the real model port, each row in a fresh process.
 * `npm run bench:memory` runs it alone (about two minutes, the first run a minute more to generate
 * the shapes) and writes bench/results/memory.json; `npm run bench` includes it.
 * MEMORY_BENCH_SHAPES=name,name picks rows; MEMORY_BENCH_CONCURRENCY (default 16) the burst.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../shared/config.js';
import { hasTestdata, mobilenetExport, mobilenetTeachableMetadata } from '../test/support/fixtures.js';
import { SHAPES, shapeBytes } from './memory-shapes.js';

export interface MemoryRow {
  shapes: string;
  concurrency: number;
  baselineMb: number;
  peakMb: number;
  riseMb: number;
  estimateMb: number;
  ms: number;
  outcomes: Record<string, number>;
  /** One ordinary photo sent just after the burst: its time and answer. */
  ordinaryMs: number;
  ordinaryOutcome: string;
}

async function measure(names: string[], modelUri: string | undefined): Promise<MemoryRow> {
  const env = modelUri ? { ...process.env, MODEL_URI: modelUri } : process.env;
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'bench/memory-child.ts', names.join(',')],
    { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const [code] = await once(child, 'exit');
  const line = out.trim().split('\n').at(-1);
  if (code !== 0 || !line) throw new Error(`memory bench for ${names.join(', ')} exited with ${code}`);
  const row = JSON.parse(line) as MemoryRow;
  return names.length > 1 ? { ...row, shapes: `all ${names.length} shapes, round robin` } : row;
}

export async function benchMemory(only?: string[]): Promise<MemoryRow[]> {
  const picked = only ? SHAPES.filter((s) => only.includes(s.name)) : SHAPES;
  // Generated here, once, so no measured process pays for it.
  for (const shape of picked) await shapeBytes(shape);
  // MobileNet (224 px input) where the test data has it, else the bundled placeholder (128 px).
  const modelUri = hasTestdata ? await mobilenetExport(await mobilenetTeachableMetadata()) : undefined;
  const rows: MemoryRow[] = [];
  for (const shape of picked) rows.push(await measure([shape.name], modelUri));
  if (!only)
    rows.push(
      await measure(
        SHAPES.map((s) => s.name),
        modelUri,
      ),
    );
  return rows;
}

export function printMemoryRows(rows: MemoryRow[]): void {
  console.table(
    rows.map(({ shapes, riseMb, estimateMb, peakMb, ms, outcomes, ordinaryMs, ordinaryOutcome }) => ({
      shapes,
      riseMb,
      estimateMb,
      peakMb,
      ms,
      outcomes: Object.entries(outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
      ordinary: `${ordinaryOutcome} in ${ordinaryMs} ms`,
    })),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.env.MEMORY_BENCH_SHAPES?.split(',');
  const rows = await benchMemory(only);
  printMemoryRows(rows);
  if (!only) {
    const file = path.join(projectRoot, 'bench', 'results', 'memory.json');
    await writeFile(file, `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
  }
}
