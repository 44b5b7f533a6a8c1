import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts an emulator's server (port 0 picks a free one; loopback by default, since none of the
 * emulators checks signatures) and returns the base URL to give an SDK client as its endpoint.
 */
export async function listenLocal(server: Server, port = 0, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { address, port: bound } = server.address() as AddressInfo;
  return `http://${address.includes(':') ? `[${address}]` : address}:${bound}`;
}
