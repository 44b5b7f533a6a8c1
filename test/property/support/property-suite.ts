import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { operations } from '../../../shared/http/operations.js';
import { type CaseResponse, describeCase, type HttpCase } from './http-case.js';
import { type GeneratorContext, requestArbitrary } from './request-arbitraries.js';
import type { RowWatch } from './row-watch.js';

export interface PropertyTarget {
  send(c: HttpCase): Promise<CaseResponse>;
  /** GET /health through the same runtime: the liveness check after every case (0: no answer). */
  health(): Promise<number>;
  /** Restarts the runtime's process if an earlier case ended it, so each operation is tested. */
  ensureRunning(): Promise<void>;
  /** The runtime's log tail, printed when a case fails. */
  output(): string;
  rows: RowWatch;
  context: GeneratorContext;
}

/** At least 1,000 per operation in CI; PROPERTY_RUNS lowers it for a quick local look. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
/** Replays a reported failure: PROPERTY_SEED=<seed> (and PROPERTY_PATH=<path> for the exact case). */
const SEED = process.env.PROPERTY_SEED === undefined ? undefined : Number(process.env.PROPERTY_SEED);
const PATH = process.env.PROPERTY_PATH;
/** Shrinking re-sends failing requests many times; off by default so a failing run stays short. */
const SHRINK = process.env.PROPERTY_SHRINK === 'true';

const ERROR_CODE = /^[A-Z][A-Z_]+$/;

/**
 * For every operation of the table, RUNS generated requests against one runtime over the real
 * PostgreSQL. After each: no 5xx, an error body with a stable code for every 4xx, the stored rows
 * untouched by a rejected request, no uncaught exception, and GET /health still answering 200.
 */
export function registerPropertySuite(runtime: string, getTarget: () => PropertyTarget): void {
  const sent = new Map<string, number>();
  const started = Date.now();
  afterAll(() => {
    const counts = Object.fromEntries(sent);
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    console.info(
      `property suite (${runtime}): ${total} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      counts,
    );
  });

  for (const op of operations) {
    it(`${op.id} (${op.method} ${op.path}): ${RUNS} generated requests, none answered 5xx, none changing rows when refused, the process alive after each`, async () => {
      const target = getTarget();
      await target.ensureRunning();
      let before = await target.rows.snapshot();
      const property = fc.asyncProperty(requestArbitrary(op, target.context), async (c) => {
        sent.set(op.id, (sent.get(op.id) ?? 0) + 1);
        let res: CaseResponse;
        try {
          res = await target.send(c);
        } catch (error) {
          throw new Error(
            `no answer (${String(error)}): ${describeCase(c)}\n${target.output().slice(-3000)}`,
          );
        }
        const after = await target.rows.snapshot();
        const previous = before;
        before = after;
        const what = `${describeCase(c)}\n  -> ${res.status} ${res.text.slice(0, 300)}`;
        expect(res.status, what).toBeLessThan(500);
        if (res.status >= 400) {
          const code = errorCodeOf(res) ?? '';
          expect(ERROR_CODE.test(code), `a 4xx without a JSON error code: ${what}`).toBe(true);
          expect(after, `a refused request changed stored rows: ${what}`).toEqual(previous);
        }
        const health = await target.health();
        expect(
          health,
          `GET /health after: ${what}\n${health === 0 ? target.output().slice(-3000) : ''}`,
        ).toBe(200);
      });
      await fc.assert(property, {
        numRuns: RUNS,
        ...(SEED === undefined ? {} : { seed: SEED }),
        ...(PATH === undefined ? {} : { path: PATH }),
        endOnFailure: !SHRINK,
      });
    }, 900_000);
  }
}

function errorCodeOf(res: CaseResponse): string | undefined {
  try {
    const code = (JSON.parse(res.text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
