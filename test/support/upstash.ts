/** An Upstash REST emulator in front of the test Redis, with a fresh random token per start. */
import { randomBytes } from 'node:crypto';
import {
  startUpstashEmulator,
  type UpstashEmulator,
} from '../../tools/local-aws/upstash/upstash-emulator.js';
import { REDIS_TEST_URL } from './services.js';

export interface TestUpstash extends UpstashEmulator {
  token: string;
}

export async function startTestUpstash(): Promise<TestUpstash> {
  const token = `test-${randomBytes(16).toString('hex')}`;
  const emulator = await startUpstashEmulator({ redisUrl: REDIS_TEST_URL, token });
  return { ...emulator, token };
}

/** POSTs JSON to the emulator as a plain HTTP client would, returning status and parsed body. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
