import { randomBytes } from 'node:crypto';
import type { Backend, TransactionSession } from './backend.js';
import { DataApiError } from './errors.js';

/** AWS rolls back a transaction that has seen no call for 3 minutes. */
export const TRANSACTION_IDLE_TIMEOUT_MS = 3 * 60_000;

interface OpenTransaction {
  session: TransactionSession;
  timer: NodeJS.Timeout | undefined;
  /** Calls in progress or queued: the idle clock runs only while there are none. */
  busy: number;
  /** Calls on one transaction run one after another, as on its single connection. */
  tail: Promise<unknown>;
}

/**
 * The open transactions of one emulator: BeginTransaction checks out a dedicated session and names
 * it by an opaque id; statements carrying the id run on that session; Commit/Rollback end it.
 */
export class Transactions {
  private readonly open = new Map<string, OpenTransaction>();

  constructor(
    private readonly idleTimeoutMs: number,
    private readonly onIdleRollback: (id: string) => void = () => undefined,
  ) {}

  async begin(backend: Backend, database: string | undefined): Promise<string> {
    const session = await backend.begin(database);
    // Aurora's ids are long opaque base64 strings; clients must not parse them.
    const id = randomBytes(48).toString('base64');
    const entry: OpenTransaction = { session, timer: undefined, busy: 0, tail: Promise.resolve() };
    this.open.set(id, entry);
    this.arm(id, entry);
    return id;
  }

  /** Runs `work` on the transaction's session; the idle clock stops while a call is in progress. */
  run<T>(id: string, work: (session: TransactionSession) => Promise<T>): Promise<T> {
    const entry = this.get(id);
    clearTimeout(entry.timer);
    entry.busy += 1;
    const result = entry.tail.then(() => work(entry.session));
    entry.tail = result.catch(() => undefined);
    return result.finally(() => {
      entry.busy -= 1;
      if (entry.busy === 0 && this.open.get(id) === entry) this.arm(id, entry);
    });
  }

  async end(id: string, how: 'commit' | 'rollback'): Promise<void> {
    const entry = this.get(id);
    this.open.delete(id);
    clearTimeout(entry.timer);
    await entry.tail;
    await (how === 'commit' ? entry.session.commit() : entry.session.rollback());
  }

  /** Rolls back everything still open (emulator shutdown). */
  async closeAll(): Promise<void> {
    const ids = [...this.open.keys()];
    await Promise.allSettled(ids.map((id) => this.end(id, 'rollback')));
  }

  get size(): number {
    return this.open.size;
  }

  private get(id: string): OpenTransaction {
    const entry = this.open.get(id);
    if (!entry) throw new DataApiError('NotFoundException', `Transaction ${id} is not found`);
    return entry;
  }

  private arm(id: string, entry: OpenTransaction): void {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      this.onIdleRollback(id);
      this.end(id, 'rollback').catch(() => undefined);
    }, this.idleTimeoutMs);
    // An idle transaction alone must not keep a test process or the dev script alive.
    entry.timer.unref();
  }
}
