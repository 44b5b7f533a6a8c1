/**
 * Dev entry point: `tsx tools/local-aws/upstash/main.ts`, then point the app's Upstash URL and token
 * at it. Reads UPSTASH_EMULATOR_PORT (default 8079), REDIS_URL (default redis://127.0.0.1:6379) and
 * UPSTASH_TOKEN (default "local-upstash-token"). A tool, not the app: shared/config.ts is not involved.
 */
import { startUpstashEmulator } from './upstash-emulator.js';

const port = Number(process.env.UPSTASH_EMULATOR_PORT ?? 8079);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const token = process.env.UPSTASH_TOKEN ?? 'local-upstash-token';

const emulator = await startUpstashEmulator({ port, redisUrl, token });
// The token is a local development value, not a secret; it is printed only so it can be copied.
console.log(`Upstash REST emulator on ${emulator.url} -> ${redisUrl} (token: ${token})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
