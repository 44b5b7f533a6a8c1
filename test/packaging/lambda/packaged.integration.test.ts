import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFunctions } from '../../../functions/runtime/function-table.js';
import { type JwksServer, startJwksServer } from '../../../scripts/dev-lambda-jwks.js';
import { loadOrCreateDevKeys } from '../../../shared/adapters/identity/dev-keys.js';
import { apiContract, type ContractTarget } from '../../contract/api-contract.js';
import { openApiConformance } from '../../contract/openapi-conformance.js';
import { apiGateway } from '../../support/lambda/api-gateway.js';
import { toTargetResponse } from '../../support/lambda/http-api-event.js';
import { type LambdaServices, startLambdaServices } from '../../support/lambda/lambda-services.js';
import { AUTHORIZER_ANSWERS, lambdaTarget } from '../../support/lambda/lambda-target.js';
import { type BundledFunctions, localOverrides, startBundledFunctions } from './support/bundled-functions.js';
import { DUMMY_PARAMS, type PackagedService, packageService, unpackZips } from './support/package-service.js';
import { recordedEvent } from './support/recorded-events.js';
import { packagedFunctions, readTemplate, type Template, templateRoutes } from './support/template.js';
import { templateSuite } from './support/template-suite.js';

let pkg: PackagedService;
let template: Template;
let workDir: string;
let dirs: Record<string, string>;
let services: LambdaServices;
let jwks: JwksServer;
let bundled: BundledFunctions;
let target: ContractTarget;
const MAX_IMAGE_BYTES = 4 * 1024 * 1024;

/** `serverless package --stage prod` once; then every zip is unpacked and started from its bundle. */
beforeAll(async () => {
  pkg = await packageService('prod', DUMMY_PARAMS);
  template = await readTemplate(pkg.serverlessDir);
  workDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-zips-'));
  dirs = await unpackZips(pkg.serverlessDir, path.join(workDir, 'task'));
  services = await startLambdaServices();
  const keys = await loadOrCreateDevKeys(path.join(workDir, 'dev-jwt-key.json'));
  jwks = await startJwksServer(keys, 0);
  const overrides = localOverrides({
    services: services.env,
    dataDir: path.join(workDir, 'data'),
    jwksIssuer: jwks.issuer,
  });
  bundled = await startBundledFunctions(packagedFunctions(template), dirs, overrides);
  await bundled.invoke('migrate', {} as never);
  const tokens = { keys, issuer: jwks.issuer, audience: 'pettracker' };
  const auth = { key: keys.publicKey, issuer: jwks.issuer, audience: ['pettracker'] };
  target = lambdaTarget(apiGateway(templateRoutes(template), bundled.invoke, auth), tokens, MAX_IMAGE_BYTES);
}, 600_000);
afterAll(async () => {
  bundled?.close();
  await jwks?.close();
  await services?.close();
  await pkg?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

templateSuite(
  () => template,
  () => pkg.ranBetween,
);

it('serverless package accepts serverless.yml as it is: no configuration warning (nodejs22.x is known)', () => {
  expect(pkg.output).toContain('Packaging pettracker for stage prod');
  expect(pkg.output).not.toMatch(/warning|invalid configuration|deprecation/i);
});

describe('the packaged zips', () => {
  const listing = async (fn: string) => ({
    top: (await readdir(dirs[fn] as string)).sort(),
    modules: (await readdir(path.join(dirs[fn] as string, 'node_modules'))).sort(),
  });

  it('hold the bundle, sharp for linux-x64 and the migrations; the model and its WASM where it is loaded, its metadata alone where only its labels are read', async () => {
    expect(await readdir(path.join(dirs.predict as string, 'functions'))).toEqual(['predict.mjs']);
    // Every function of the table: the model's files exactly where httpFunctions says it loads one.
    for (const [fn, { model }] of Object.entries(httpFunctions)) {
      expect(await listing(fn), fn).toEqual({
        top: model
          ? ['functions', 'migrations', 'models', 'node_modules']
          : ['functions', 'migrations', 'node_modules'],
        modules:
          model === true
            ? ['@img', '@tensorflow', 'detect-libc', 'semver', 'sharp']
            : ['@img', 'detect-libc', 'semver', 'sharp'],
      });
      if (model === 'labels') {
        const files = await readdir(path.join(dirs[fn] as string, 'models'), { recursive: true });
        expect(files.filter((f) => f.includes('.')).sort(), fn).toEqual([
          'pets-mobilenet-v1/metadata.json',
          'placeholder/metadata.json',
        ]);
      }
    }
    // The $default route and the migrations load no model either (migrate carries sharp unused:
    // serverless-esbuild cannot leave a service-wide pattern out of one function).
    for (const fn of ['not-found', 'migrate'])
      expect((await listing(fn)).top, fn).toEqual(['functions', 'migrations', 'node_modules']);
  });
});

describe('bundled handlers answer recorded API Gateway events', () => {
  const invoke = async (fn: string, event: ReturnType<typeof recordedEvent>) =>
    toTargetResponse(await bundled.invoke(fn, event));

  it('a JPEG as a base64 body, then the same photo as multipart (now from the cache)', async () => {
    const jpeg = await invoke('predict', recordedEvent('predict-jpeg'));
    expect(jpeg.status).toBe(200);
    expect(jpeg.body).toMatchObject({ model: { untrained: true }, cached: false });
    expect(jpeg.body.predictions).toHaveLength(3);
    const form = await invoke('predict', recordedEvent('predict-multipart'));
    expect(form.body).toMatchObject({ imageSha256: jpeg.body.imageSha256, cached: true });
    // A recorded GET event re-aimed at /model: the pipeline routes on the path, as API Gateway did.
    const listing = recordedEvent('list-predictions');
    const getModel = {
      ...listing,
      routeKey: 'GET /model',
      rawPath: '/model',
      rawQueryString: '',
      requestContext: { ...listing.requestContext, http: { ...listing.requestContext.http, path: '/model' } },
    };
    expect((await invoke('model-info', getModel)).body.backend).toBe('wasm');
  });

  it('save, list and delete for the user in the authorizer claims', async () => {
    const saved = await invoke('save-prediction', recordedEvent('save-prediction'));
    expect(saved.status).toBe(201);
    const ids = async () =>
      (await invoke('list-predictions', recordedEvent('list-predictions'))).body.items.map(
        (p: { id: string }) => p.id,
      );
    expect(await ids()).toContain(saved.body.id);
    const del = recordedEvent('delete-prediction');
    const deleted = await invoke('delete-prediction', {
      ...del,
      rawPath: `/predictions/${saved.body.id}`,
      pathParameters: { id: saved.body.id },
    });
    expect(deleted.status).toBe(204);
    expect(await ids()).not.toContain(saved.body.id);
  });

  it('a bad token that reached the function without claims: 401 from its own verification', async () => {
    const res = await invoke('list-predictions', recordedEvent('bad-token'));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('a body over MAX_IMAGE_BYTES (4 MiB on Lambda): 413 as JSON', async () => {
    const event = recordedEvent('predict-jpeg');
    const big = Buffer.alloc(MAX_IMAGE_BYTES + 1, 0xff).toString('base64');
    const res = await invoke('predict', { ...event, body: big });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('IMAGE_TOO_LARGE');
  });

  it('logs each invocation as one line: the EMF document is the request line, with both ids', async () => {
    const event = recordedEvent('predict-jpeg');
    const lines = bundled.hosts.predict
      ?.stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const logged = lines?.filter(
      (l) => l.msg === 'request' && l.requestId === event.requestContext.requestId && l.status === 200,
    );
    expect(logged?.[0]).toMatchObject({ awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    // The first invocation of this container: its EMF line has the cold start; one line, same ids.
    const emf = lines?.filter((l) => l._aws && l.awsRequestId === logged?.[0].awsRequestId);
    expect(emf).toEqual([
      expect.objectContaining({ requestId: event.requestContext.requestId, ColdStart: 1 }),
    ]);
    expect(emf?.[0]).toHaveProperty('RequestMs');
    // No second line for the request: the one that logs it is the one that meters it.
    expect(logged?.every((l) => l._aws !== undefined)).toBe(true);
  });
});

describe('bundled functions behind a simulated API Gateway', () => {
  apiContract(() => target);
  openApiConformance(() => target, { except: AUTHORIZER_ANSWERS });
});
