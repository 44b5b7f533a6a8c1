import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Server as NetServer } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { createUpstashCache } from '../../../../shared/adapters/cache/upstash-cache.js';

// The Upstash cache against servers that fail; no emulator and no Redis. The cache contract over the
// real Redis is in upstash-cache.integration.test.ts.

describe('Upstash cache failing fast', () => {
  it('makes exactly one attempt when the connection fails (no client retries)', async () => {
    let connections = 0;
    const server = createTcpServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    const url = await listen(server);
    try {
      const cache = createUpstashCache({ url, token: 't', timeoutMs: 1_000 });
      await expect(cache.get('k')).rejects.toThrow();
      expect(connections).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('aborts the HTTP request at timeoutMs instead of leaving it running', async () => {
    let aborted: () => void = () => undefined;
    const serverSawAbort = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    // Accepts the request and never answers: only the client's abort can end it.
    const server: Server = createHttpServer((req) => req.on('close', aborted));
    const url = await listen(server);
    // The deadline is asserted as given, not measured: a measured one flakes on a busy machine.
    const deadlines = vi.spyOn(AbortSignal, 'timeout');
    try {
      const cache = createUpstashCache({ url, token: 't', timeoutMs: 50 });
      await expect(cache.get('k')).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(deadlines.mock.calls).toEqual([[50]]);
      await serverSawAbort;
    } finally {
      deadlines.mockRestore();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

async function listen(server: NetServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
