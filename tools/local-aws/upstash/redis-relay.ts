import { Redis, ReplyError } from 'ioredis';

/** One command as the REST API carries it: ["SET", "k", "v", "EX", 60]. */
export type RestCommand = [string, ...Array<string | number | boolean>];

/** What one command came back with: a reply from Redis, or why there is none. */
export type Outcome = { ok: true; reply: unknown } | { ok: false; error: Error };

/**
 * These change the state of the one shared connection every request goes through (a stray MULTI
 * would swallow everyone's commands), so the relay refuses them; /multi-exec is the REST way to
 * run a transaction, and Upstash has no pub/sub over a plain request either.
 */
const CONNECTION_STATE = new Set([
  'multi',
  'exec',
  'discard',
  'watch',
  'unwatch',
  'select',
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'monitor',
  'reset',
  'quit',
]);

/** A command Redis refused (a reply error, EXECABORT, a refused command): the caller's fault, HTTP 400. */
export function isCommandError(error: Error): boolean {
  return error instanceof ReplyError || error instanceof RefusedCommandError;
}

class RefusedCommandError extends Error {
  override name = 'RefusedCommandError';
}

/**
 * Relays REST commands to a real Redis over one ioredis connection. callBuffer keeps every reply as
 * raw bytes, so a value goes back to the HTTP client exactly as stored (binary-safe).
 */
export class RedisRelay {
  readonly #redis: Redis;

  constructor(redisUrl: string) {
    // A short retry budget: with Redis down the emulator should answer 500 soon, like the service.
    this.#redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
    // Without a listener ioredis logs every reconnect attempt; failed commands report the cause.
    this.#redis.on('error', () => undefined);
  }

  async run(command: RestCommand): Promise<Outcome> {
    const [name, ...args] = toRedisArgs(command);
    const refused = refusal(name);
    if (refused) return { ok: false, error: refused };
    try {
      return { ok: true, reply: await this.#redis.callBuffer(name, ...args) };
    } catch (error) {
      return { ok: false, error: asError(error) };
    }
  }

  /** In order, each with its own outcome; not atomic (other clients' commands may interleave). */
  async pipeline(commands: RestCommand[]): Promise<Outcome[]> {
    const refusals = commands.map((c) => refusal(toRedisArgs(c)[0]));
    const pipeline = this.#redis.pipeline();
    for (const [i, command] of commands.entries()) {
      // A refused command is not sent; a harmless PING keeps the replies aligned with the request.
      const [name, ...args] = refusals[i] ? ['ping'] : toRedisArgs(command);
      pipeline.callBuffer(name, ...args);
    }
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, reply], i): Outcome => {
      const refused = refusals[i];
      if (refused) return { ok: false, error: refused };
      return error ? { ok: false, error } : { ok: true, reply };
    });
  }

  /**
   * MULTI ... EXEC. A command Redis rejects while queueing aborts the whole transaction (EXECABORT,
   * thrown here); one that fails while executing fails alone, and the others still apply.
   */
  async transaction(commands: RestCommand[]): Promise<Outcome[]> {
    const refused = commands.map((c) => refusal(toRedisArgs(c)[0])).find((r) => r !== undefined);
    if (refused) throw refused;
    const multi = this.#redis.multi();
    for (const command of commands) {
      const [name, ...args] = toRedisArgs(command);
      multi.callBuffer(name, ...args);
    }
    const replies = await multi.exec();
    if (replies === null) throw new ReplyError('EXECABORT Transaction discarded');
    return replies.map(([error, reply]): Outcome => (error ? { ok: false, error } : { ok: true, reply }));
  }

  async close(): Promise<void> {
    // QUIT would wait in the offline queue while Redis is unreachable.
    if (this.#redis.status === 'ready') await this.#redis.quit().catch(() => this.#redis.disconnect());
    else this.#redis.disconnect();
  }
}

function toRedisArgs(command: RestCommand): [string, ...Array<string | number>] {
  const [name, ...args] = command;
  return [name, ...args.map((a) => (typeof a === 'boolean' ? String(a) : a))];
}

function refusal(name: string): Error | undefined {
  const lower = name.toLowerCase();
  if (!CONNECTION_STATE.has(lower)) return undefined;
  return new RefusedCommandError(
    `ERR Command is not allowed over REST: ${lower} (use /multi-exec for transactions)`,
  );
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
