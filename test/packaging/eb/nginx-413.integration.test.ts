import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_LAYOUT } from '../../../eb-compat/bundle/layout.js';
import { CORS_HEADERS } from '../../../shared/http/cors.js';
import { SECURITY_HEADERS } from '../../../shared/http/security-headers.js';
import { freePort } from '../../support/spawn-server.js';
import { TEST_SETTINGS, type UnpackedBundle, unpackedBundle } from './support/built-bundle.js';

const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/bin/nginx'].find((p) => existsSync(p));
if (!NGINX && process.env.PETTRACKER_REQUIRE_SERVICES === '1') {
  throw new Error('PETTRACKER_REQUIRE_SERVICES=1 but nginx is not installed (apt-get install nginx-light)');
}

/*
 * The bundle's .platform/nginx files in a real nginx, laid out as the Amazon Linux 2023 Node.js
 * platforms do: conf.d/*.conf in the http block, conf.d/elasticbeanstalk/*.conf in the server block
 * on port 80 next to the platform's own 00_application.conf (location / -> the app on 8080).
 */
describe.skipIf(!NGINX)('nginx with the bundle configuration, for real', () => {
  let bundle: UnpackedBundle;
  let prefix: string;
  let nginx: ChildProcess;
  let app: Server;
  let url: string;
  let limitBytes: number;
  const reachedApp: number[] = [];

  beforeAll(async () => {
    bundle = await unpackedBundle({ install: false });
    prefix = path.join(bundle.dir, '.nginx-test');
    await mkdir(prefix, { recursive: true });
    // nginx's workers run as nobody when started as root: they must reach the temp folders.
    await chmod(bundle.dir, 0o755);
    await chmod(prefix, 0o755);
    await cp(path.join(bundle.dir, BUNDLE_LAYOUT.nginxConfDir), path.join(prefix, 'conf.d'), {
      recursive: true,
    });
    const sizeConf = await readFile(path.join(prefix, 'conf.d', 'pettracker.conf'), 'utf8');
    limitBytes = Number(/client_max_body_size (\d+)k;/.exec(sizeConf)?.[1]) * 1024;

    app = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      req.on('end', () => {
        reachedApp.push(bytes);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ received: bytes }));
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const appPort = (app.address() as AddressInfo).port;
    await writeFile(
      path.join(prefix, 'conf.d', 'elasticbeanstalk', '00_application.conf'),
      `location / {\n  proxy_pass http://127.0.0.1:${appPort};\n  proxy_http_version 1.1;\n}\n`,
    );
    const port = await freePort();
    await writeFile(
      path.join(prefix, 'nginx.conf'),
      [
        'worker_processes 1;',
        `pid ${prefix}/nginx.pid;`,
        `error_log ${prefix}/error.log warn;`,
        'events { worker_connections 64; }',
        'http {',
        '  default_type application/octet-stream;',
        `  access_log ${prefix}/access.log;`,
        `  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy;`,
        '  include conf.d/*.conf;',
        '  server {',
        `    listen 127.0.0.1:${port} default_server;`,
        '    include conf.d/elasticbeanstalk/*.conf;',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    nginx = spawn(NGINX as string, ['-p', `${prefix}/`, '-c', `${prefix}/nginx.conf`, '-g', 'daemon off;'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i += 1) {
      if (
        await fetch(`${url}/ready`).then(
          () => true,
          () => false,
        )
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`nginx did not start: ${await readFile(`${prefix}/error.log`, 'utf8').catch(() => '')}`);
  }, 180_000);
  afterAll(async () => {
    nginx?.kill('SIGTERM');
    app?.close();
    await bundle?.remove();
  });

  it('passes a body within the limit to the app', async () => {
    const res = await fetch(`${url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: Buffer.alloc(limitBytes - 1024, 0xff),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: limitBytes - 1024 });
  });

  it('answers a larger body itself with 413 and the JSON error body, which the app never sees', async () => {
    const before = reachedApp.length;
    const res = await fetch(`${url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: Buffer.alloc(limitBytes + 1, 0xff),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/json');
    // The app's own answers carry these; nginx's 413 is an answer of the same API.
    expect(Object.fromEntries(res.headers)).toMatchObject({ ...CORS_HEADERS, ...SECURITY_HEADERS });
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(await res.json()).toEqual({
      error: {
        code: 'IMAGE_TOO_LARGE',
        message: expect.stringContaining(String(TEST_SETTINGS.maxImageBytes)),
        requestId,
      },
    });
    expect(reachedApp.length).toBe(before);
  });
});
