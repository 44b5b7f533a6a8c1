import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK } from 'jose';
import type { DevKeys } from '../shared/adapters/identity/dev-keys.js';

export interface JwksServer {
  /** The issuer URL: tokens for dev:lambda carry it as `iss`, and its JWKS is at /.well-known/jwks.json. */
  issuer: string;
  close(): Promise<void>;
}

/**
 * Publishes the dev key's public half the way Cognito publishes its keys, so the functions under
 * serverless-offline verify tokens through the same remote-JWKS path they use on AWS.
 */
export async function startJwksServer(keys: DevKeys, port: number): Promise<JwksServer> {
  const jwk = { ...(await exportJWK(keys.publicKey)), alg: 'ES256', use: 'sig' };
  const body = JSON.stringify({ keys: [jwk] });
  const server: Server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    issuer: `http://127.0.0.1:${actual}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
