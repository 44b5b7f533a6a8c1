/**
 * npm run bench:lambda: the Lambda figures the README reports, from the packaged zips (not the source).
 * Packages the service (`serverless package --stage prod`, offline), unpacks each zip, and runs the
 * bundles in fresh Node processes against the local emulators (test/support/lambda): zip sizes, cold
 * starts (import to first answer) with the placeholder model, the bundled default model and the real
 * MobileNet from ../shared/testdata served as a Teachable Machine export, and warm handler latencies;
 * for the default model, cold start and warm miss at 1769 MB and 3008 MB (their vCPUs played by pinning).
 * Writes bench/results/lambda.json. No Lambda sandbox here: no network to S3, Secrets Manager or Aurora.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startJwksServer } from '../scripts/dev-lambda-jwks.js';
import { loadOrCreateDevKeys } from '../shared/adapters/identity/dev-keys.js';
import { projectRoot } from '../shared/config.js';
import { localOverrides } from '../test/packaging/lambda/support/bundled-functions.js';
import {
  DUMMY_PARAMS,
  packageService,
  unpackZips,
} from '../test/packaging/lambda/support/package-service.js';
import { packagedFunctions, readTemplate } from '../test/packaging/lambda/support/template.js';
import { mobilenetExport, mobilenetTeachableMetadata, petsDir } from '../test/support/fixtures.js';
import { httpApiEvent } from '../test/support/lambda/http-api-event.js';
import { startLambdaHost } from '../test/support/lambda/lambda-hosts.js';
import { startLambdaServices } from '../test/support/lambda/lambda-services.js';
import { coldStarts, warmLatency, zipSizes } from './lambda-runs.js';
import { jpegVariant } from './stats.js';

const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const WARM_INVOCATIONS = Number(process.env.BENCH_WARM_INVOCATIONS ?? 200);

// 99 KB: a real photo from the test data (../shared/testdata or PETTRACKER_TESTDATA).
const photo = await readFile(path.join(petsDir, 'Bengal_16.jpg'));
const predictEvent = (image: Buffer) =>
  httpApiEvent({
    method: 'POST',
    url: '/predict',
    routeKey: 'POST /predict',
    headers: { 'content-type': 'image/jpeg' },
    body: image,
  });
// Claims as API Gateway's authorizer passes them (as strings); tokens without exp are refused.
const claims = { sub: 'bench-user', exp: String(Math.floor(Date.now() / 1000) + 24 * 3600) };
const listEvent = () =>
  httpApiEvent({ method: 'GET', url: '/predictions?limit=20', routeKey: 'GET /predictions', claims });
const saveEvent = (i: number) =>
  httpApiEvent({
    method: 'POST',
    url: '/predictions',
    routeKey: 'POST /predictions',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      breed: 'Bengal',
      confidence: 0.9,
      imageSha256: 'd'.repeat(64),
      modelVersion: `v${i}`,
      source: 'model',
    }),
    claims,
  });

const pkg = await packageService('prod', DUMMY_PARAMS);
const work = await mkdtemp(path.join(os.tmpdir(), 'pettracker-bench-lambda-'));
const services = await startLambdaServices();
const jwks = await startJwksServer(await loadOrCreateDevKeys(path.join(work, 'dev-jwt-key.json')), 0);
try {
  const template = await readTemplate(pkg.serverlessDir);
  const dirs = await unpackZips(pkg.serverlessDir, path.join(work, 'task'));
  const sizes = await zipSizes(pkg.serverlessDir, dirs);
  const fn = (name: string) =>
    packagedFunctions(template).find((f) => f.name === name) as {
      environment: Record<string, string>;
      handler: string;
    };
  const bundle = (name: string) =>
    path.join(dirs[name] as string, `${fn(name).handler.replace(/\.handler$/, '')}.mjs`);
  const env = (name: string, modelUri?: string) => ({
    ...fn(name).environment,
    ...localOverrides({
      services: services.env,
      dataDir: path.join(work, 'data'),
      jwksIssuer: jwks.issuer,
      modelUri,
    }),
    LOG_LEVEL: 'warn',
  });
  const migrate = await startLambdaHost(bundle('migrate'), env('migrate'));
  await migrate.invoke({} as never);
  migrate.close();

  const allModels: Record<string, string | undefined> = {
    placeholder: undefined,
    // The bundled default, served from the zip itself (no S3 download), as on AWS with modelUri unset.
    'pets-mobilenet-v1 (default)': 'models/pets-mobilenet-v1',
    'mobilenet-v1-0.75': await mobilenetExport(await mobilenetTeachableMetadata()),
  };
  // BENCH_LAMBDA_MODELS=default,placeholder runs only the rows whose label names one of them.
  const only = process.env.BENCH_LAMBDA_MODELS?.split(',');
  const models = Object.fromEntries(
    Object.entries(allModels).filter(([label]) => !only || only.some((o) => label.includes(o))),
  );
  const predict: Record<string, object> = {};
  for (const [label, modelUri] of Object.entries(models)) {
    const cold = await coldStarts(
      bundle('predict'),
      env('predict', modelUri),
      predictEvent(photo),
      COLD_RUNS,
    );
    const host = await startLambdaHost(bundle('predict'), env('predict', modelUri));
    const miss = await warmLatency(host, (i) => predictEvent(jpegVariant(photo, i + 1)), WARM_INVOCATIONS);
    const hit = await warmLatency(host, () => predictEvent(photo), WARM_INVOCATIONS);
    host.close();
    predict[label] = { cold, warmCacheMiss: miss, warmCacheHit: hit };
  }
  // Lambda gives a function CPU in proportion to its memory: one vCPU at 1769 MB, about 1.7 at
  // 3008 MB. Each size is played by pinning the function to that many of this machine's CPUs (two
  // for 3008 MB: a little more than Lambda gives), with the bundled default model.
  // Only with the default model's row (BENCH_LAMBDA_MODELS=none measures the history functions alone).
  const memorySizes =
    'pets-mobilenet-v1 (default)' in models
      ? [
          { memoryMb: 1769, cpus: '1', note: '1 vCPU: pinned to 1 CPU' },
          { memoryMb: 3008, cpus: '0,1', note: '~1.7 vCPU: pinned to 2 CPUs' },
        ]
      : [];
  const bySize: Record<string, object> = {};
  for (const size of memorySizes) {
    const sizeEnv = {
      ...env('predict', 'models/pets-mobilenet-v1'),
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(size.memoryMb),
    };
    const cold = await coldStarts(bundle('predict'), sizeEnv, predictEvent(photo), COLD_RUNS, size.cpus);
    const host = await startLambdaHost(bundle('predict'), sizeEnv, { cpus: size.cpus });
    // Variants of their own: the rows above cached theirs in the shared cache.
    const salt = size.memoryMb * 1_000_000;
    const miss = await warmLatency(host, (i) => predictEvent(jpegVariant(photo, salt + i)), WARM_INVOCATIONS);
    host.close();
    bySize[`${size.memoryMb} MB`] = { cpus: size.note, cold, warmCacheMiss: miss };
  }
  const listHost = await startLambdaHost(bundle('list-predictions'), env('list-predictions'));
  const saveHost = await startLambdaHost(bundle('save-prediction'), env('save-prediction'));
  const history = {
    coldList: await coldStarts(bundle('list-predictions'), env('list-predictions'), listEvent(), COLD_RUNS),
    // With the bundled default model, as deployed: saving checks the breed against its labels.
    coldSave: await coldStarts(
      bundle('save-prediction'),
      env('save-prediction', 'models/pets-mobilenet-v1'),
      saveEvent(-2),
      COLD_RUNS,
    ),
    warmSave: await warmLatency(saveHost, saveEvent, WARM_INVOCATIONS),
    warmList: await warmLatency(listHost, listEvent, WARM_INVOCATIONS),
  };
  listHost.close();
  saveHost.close();

  const results = {
    measuredAt: new Date().toISOString(),
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model}, Node ${process.version}`,
    photoBytes: photo.length,
    store: services.aws
      ? 'Data API emulator over PostgreSQL; Upstash emulator over Redis'
      : 'Data API emulator over PGlite; memory cache',
    sizes,
    predict,
    predictDefaultModelByMemorySize: bySize,
    history,
  };
  await mkdir(path.join(projectRoot, 'bench', 'results'), { recursive: true });
  await writeFile(
    path.join(projectRoot, 'bench', 'results', 'lambda.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  console.log(JSON.stringify(results, null, 2));
} finally {
  await jwks.close();
  await services.close();
  await pkg.close();
  await rm(work, { recursive: true, force: true });
}
