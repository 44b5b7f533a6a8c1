import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { operations } from '../../../shared/http/operations.js';
import { canonicalJson } from '../../../shared/use-cases/save-prediction.js';
import { type CaseResponse, describeCase, type HttpCase } from './http-case.js';
import { meterProcess, type RequestCost } from './process-meter.js';
import { type GeneratorContext, requestArbitrary } from './request-arbitraries.js';
import type { RowWatch } from './row-watch.js';
import { validSave } from './save-bodies.js';

export interface PropertyTarget {
  send(c: HttpCase): Promise<CaseResponse>;
  /** The process that serves the requests: what each one cost it is measured from /proc. */
  pid(): number | undefined;
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
/**
 * Diagnosis: run every case even after failures and fail once at the end with each distinct kind of
 * failure (by request kind and answer), instead of stopping at the first. Same checks, same seeds.
 */
const SURVEY = process.env.PROPERTY_SURVEY === 'true';

const ERROR_CODE = /^[A-Z][A-Z_]+$/;

/**
 * What one request may cost the serving process: the decode budget (128 MB of estimated memory, 5 s
 * of CPU, shared/image/) with room for what the rest of a request allocates and for the allocator's
 * slack. The defect this guards against cost 1 GB and 30 s of CPU for one 1 MB PNG.
 */
const RSS_RISE_BUDGET_MB = 192;
const CPU_BUDGET_SECONDS = 6;

/**
 * For every operation of the table, RUNS generated requests against one runtime over the real
 * PostgreSQL. After each: no 5xx, an error body with a stable code for every 4xx, the stored rows
 * untouched by a rejected request, no uncaught exception, and GET /health still answering 200.
 */
export function registerPropertySuite(runtime: string, getTarget: () => PropertyTarget): void {
  const sent = new Map<string, number>();
  /** Answers by operation and status: shows the cases reach success paths, not only refusals. */
  const answers = new Map<string, Map<number, number>>();
  /** The costliest request of each operation: how close the budgets are. */
  const costliest = new Map<string, RequestCost>();
  const started = Date.now();
  afterAll(() => {
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    const lines = [...sent].map(([id, n]) => {
      const byStatus = [...(answers.get(id) ?? new Map<number, number>())].sort(([a], [b]) => a - b);
      const cost = costliest.get(id);
      const peak = cost
        ? `; at most +${Math.round(cost.riseMb)} MB RSS, ${cost.cpuSeconds.toFixed(2)} s CPU`
        : '';
      return `  ${id}: ${n} requests (${byStatus.map(([status, count]) => `${status}: ${count}`).join(', ')})${peak}`;
    });
    console.info(
      `property suite (${runtime}): ${total} requests in ${((Date.now() - started) / 1000).toFixed(1)} s\n${lines.join('\n')}`,
    );
  });

  for (const op of operations) {
    it(`${op.id} (${op.method} ${op.path}): ${RUNS} generated requests, none answered 5xx, none changing rows when refused, the process alive after each`, async () => {
      const target = getTarget();
      await target.ensureRunning();
      let before = await target.rows.snapshot();
      const failures = new Map<string, { count: number; example: string }>();
      const check = async (c: HttpCase) => {
        sent.set(op.id, (sent.get(op.id) ?? 0) + 1);
        let res: CaseResponse;
        const pid = target.pid();
        const used = pid === undefined ? undefined : meterProcess(pid);
        let cost: RequestCost | undefined;
        try {
          res = await target.send(c);
          cost = used?.();
        } catch (error) {
          throw new Error(
            `no answer (${String(error)}): ${describeCase(c)}\n${target.output().slice(-3000)}`,
          );
        }
        const byStatus = answers.get(op.id) ?? new Map<number, number>();
        answers.set(op.id, byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1));
        const after = await target.rows.snapshot();
        const previous = before;
        before = after;
        const what = `${describeCase(c)}\n  -> ${res.status} ${res.text.slice(0, 300)}`;
        expect(res.status, what).toBeLessThan(500);
        if (cost) {
          const most = costliest.get(op.id);
          costliest.set(op.id, {
            riseMb: Math.max(most?.riseMb ?? 0, cost.riseMb),
            cpuSeconds: Math.max(most?.cpuSeconds ?? 0, cost.cpuSeconds),
          });
          expect(cost.riseMb, `peak RSS rose ${Math.round(cost.riseMb)} MB: ${what}`).toBeLessThan(
            RSS_RISE_BUDGET_MB,
          );
          expect(cost.cpuSeconds, `used ${cost.cpuSeconds} s of CPU: ${what}`).toBeLessThan(
            CPU_BUDGET_SECONDS,
          );
        }
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
      };
      const survey = async (c: HttpCase) => {
        try {
          await check(c);
        } catch (error) {
          const message = String((error as Error).message);
          const answer = /\n {2}-> (\d+)/.exec(message)?.[1] ?? 'no answer';
          const key = `${c.kind.replace(/\/.*$/, '')} -> ${answer}${message.includes('GET /health after') ? ' (process died)' : ''}`;
          const seen = failures.get(key) ?? { count: 0, example: message.slice(0, 1500) };
          failures.set(key, { ...seen, count: seen.count + 1 });
          before = await target.rows.snapshot();
          await target.ensureRunning();
        }
      };
      const seed = SEED ?? Math.floor(Math.random() * 2 ** 31);
      await fc.assert(fc.asyncProperty(requestArbitrary(op, target.context), SURVEY ? survey : check), {
        numRuns: RUNS,
        seed,
        ...(PATH === undefined ? {} : { path: PATH }),
        endOnFailure: !SHRINK,
      });
      if (failures.size > 0) {
        const lines = [...failures].map(([key, f]) => `${f.count} x ${key}\n    e.g. ${f.example}`);
        throw new Error(
          `${runtime} ${op.id}, seed ${seed}: ${failures.size} kinds of failure\n${lines.join('\n')}`,
        );
      }
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

const IDEMPOTENCY_RUNS = Math.max(1, Math.round(RUNS / 10));

/**
 * Idempotency as a property: for any valid save, a retry with the same key and the same body (its
 * keys in another order) replays the first row, and the same key with any other body answers 422
 * IDEMPOTENCY_KEY_REUSED and stores nothing.
 */
export function registerIdempotencyProperty(runtime: string, getTarget: () => PropertyTarget): void {
  it(`${runtime}: an identical retry always replays; the same key with another body answers 422 (${IDEMPOTENCY_RUNS} cases)`, async () => {
    const target = getTarget();
    await target.ensureRunning();
    const ctx = target.context;
    const token = ctx.tokens.valid[0] as string;
    const save = (key: string, body: string) =>
      target.send({
        method: 'POST',
        url: '/predictions',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: Buffer.from(body),
        viaGateway: true,
        kind: 'idempotency',
      });
    const bodies = fc
      .tuple(validSave(ctx.save), validSave(ctx.save))
      .filter(([a, b]) => canonicalJson(a) !== canonicalJson(b));
    await fc.assert(
      fc.asyncProperty(fc.uuid(), bodies, async (key, [first, other]) => {
        const created = await save(key, JSON.stringify(first));
        expect(created.status, created.text).toBe(201);
        const reordered = JSON.stringify(Object.fromEntries(Object.entries(first).reverse()), null, 1);
        const retry = await save(key, reordered);
        expect(retry.status, retry.text).toBe(201);
        expect(retry.headers['idempotent-replayed']).toBe('true');
        expect(JSON.parse(retry.text)).toEqual(JSON.parse(created.text));
        const snapshot = await target.rows.content();
        const conflict = await save(key, JSON.stringify(other));
        expect(conflict.status, `${JSON.stringify(other)} -> ${conflict.text}`).toBe(422);
        expect(errorCodeOf(conflict)).toBe('IDEMPOTENCY_KEY_REUSED');
        expect(await target.rows.content()).toEqual(snapshot);
      }),
      { numRuns: IDEMPOTENCY_RUNS, endOnFailure: !SHRINK, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  }, 300_000);
}
