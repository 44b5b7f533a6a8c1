import net from 'node:net';

/**
 * A TCP proxy between a client (a pg Pool, an SDK client) and its server that a test can turn into
 * each kind of network outage, and back.
 */
export interface TcpProxy {
  readonly port: number;
  /** Client connections open now (forwarded or black-holed). */
  readonly connections: number;
  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string;
  /** The server went away: open connections are closed and new ones refused (ECONNREFUSED). */
  refuse(): Promise<void>;
  /** Every open and every new connection is reset (RST: ECONNRESET on the client's side). */
  reset(): void;
  /**
   * A black hole: open connections stay open and new ones are accepted, but nothing is forwarded.
   * What clients send is read and dropped, so that a client closing its end is seen (`connections`).
   */
  stall(): void;
  /** Forwarding again on the same port; connections that were black-holed are cut. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

type Mode = 'forward' | 'refuse' | 'reset' | 'stall';

interface Pair {
  client: net.Socket;
  upstream?: net.Socket;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: Mode = 'forward';
  const pairs = new Set<Pair>();

  const cut = (pair: Pair, how: 'reset' | 'destroy') => {
    pairs.delete(pair);
    if (how === 'reset' && !pair.client.destroyed) pair.client.resetAndDestroy();
    else pair.client.destroy();
    pair.upstream?.destroy();
  };

  const onConnection = (client: net.Socket) => {
    const pair: Pair = { client };
    pairs.add(pair);
    client.on('error', () => cut(pair, 'destroy'));
    client.on('close', () => cut(pair, 'destroy'));
    if (mode === 'reset') return cut(pair, 'reset');
    if (mode === 'stall') return void client.resume();
    const upstream = net.connect(target.port, target.host);
    pair.upstream = upstream;
    upstream.on('error', () => cut(pair, 'destroy'));
    upstream.on('close', () => cut(pair, 'destroy'));
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const server = net.createServer(onConnection);
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));

  await listen(0);
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    get connections() {
      return pairs.size;
    },
    through(url) {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.toString();
    },
    async refuse() {
      mode = 'refuse';
      for (const pair of [...pairs]) cut(pair, 'destroy');
      await stopListening();
    },
    reset() {
      mode = 'reset';
      for (const pair of [...pairs]) cut(pair, 'reset');
    },
    stall() {
      mode = 'stall';
      for (const { client, upstream } of pairs) {
        client.unpipe();
        upstream?.unpipe();
        client.resume();
        upstream?.pause();
      }
    },
    async restore() {
      if (mode === 'stall') for (const pair of [...pairs]) cut(pair, 'destroy');
      mode = 'forward';
      if (!server.listening) await listen(port);
    },
    async close() {
      mode = 'refuse';
      for (const pair of [...pairs]) cut(pair, 'destroy');
      await stopListening();
    },
  };
}
