/**
 * npm run bench:lambda: the Lambda figures the README reports, from the packaged zips (not the source).
 * Packages the service (`serverless package --stage prod`, offline), unpacks each zip, and runs the
 * bundles in fresh Node processes against the local emulators (test/support/lambda): zip sizes, cold
 * starts (import to first answer) with the placeholder model, the bundled default model and the real
 * MobileNet from ../shared/testdata served as a Teachable Machine export, and warm handler latencies;
 * for the default model, cold start and warm miss at 1769 MB and 3008 MB (their vCPUs played by pinning).
 * Writes bench/results/lambda.json. No Lambda sandbox here: no network to S3, Secrets Manager or Aurora.
 * BENCH_LAMBDA_MODELS=default,placeholder runs only the rows whose label names one of them (none: the
 * history functions alone); BENCH_COLD_RUNS (5) and BENCH_WARM_INVOCATIONS (200) set the counts.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HttpApiEvent } from '../functions/runtime/api-gateway.js';
import { startJwksServer } from '../scripts/dev-lambda-jwks.js';
import { loadOrCreateDevKeys } from '../shared/adapters/identity/dev-keys.js';
import { localOverrides } from '../test/packaging/lambda/support/bundled-functions.js';
import {
  DUMMY_PARAMS,
  packageService,
  unpackZips,
} from '../test/packaging/lambda/support/package-service.js';
import { packagedFunctions, readTemplate } from '../test/packaging/lambda/support/template.js';
import { mobilenetExport, mobilenetTeachableMetadata, petsDir } from '../test/support/fixtures.js';
import { httpApiEvent } from '../test/support/lambda/http-api-event.js';
import { type LambdaHost, startLambdaHost } from '../test/support/lambda/lambda-hosts.js';
import { startLambdaServices } from '../test/support/lambda/lambda-services.js';
import { jpegVariant, machine, percentile, round, writeResults } from './stats.js';

const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const WARM_INVOCATIONS = Number(process.env.BENCH_WARM_INVOCATIONS ?? 200);

/** Medians over `runs` fresh processes, each importing the bundle and answering `event` once. */
async function coldStarts(bundle: string, env: Record<string, string>, event: HttpApiEvent, cpus?: string) {
  const imports: number[] = [];
  const answers: number[] = [];
  for (let i = 0; i < COLD_RUNS; i += 1) {
    const host = await startLambdaHost(bundle, env, cpus ? { cpus } : {});
    const first = await host.invoke(event);
    if (first.result.statusCode >= 300)
      throw new Error(`${bundle}: ${first.result.statusCode} ${first.result.body}`);
    imports.push(host.importMs);
    answers.push(first.sinceImportStartMs);
    host.close();
  }
  // importMs: import() until the module is evaluated; firstAnswerMs: until the first invocation answered.
  return { importMs: percentile(imports, 50), firstAnswerMs: percentile(answers, 50), runs: COLD_RUNS };
}

/** Handler durations of warm invocations (after one to warm up), one at a time. */
async function warmLatency(host: LambdaHost, makeEvent: (i: number) => HttpApiEvent) {
  await host.invoke(makeEvent(-1));
  const samples: number[] = [];
  for (let i = 0; i < WARM_INVOCATIONS; i += 1) {
    const { result, durationMs } = await host.invoke(makeEvent(i));
    if (result.statusCode >= 300) throw new Error(`${result.statusCode} ${result.body}`);
    samples.push(durationMs);
  }
  return { p50Ms: percentile(samples, 50), p95Ms: percentile(samples, 95), invocations: WARM_INVOCATIONS };
}

/** Zipped size and unpacked size of each function's zip, in MB (10^6 bytes, as AWS counts). */
async function zipSizes(serverlessDir: string, dirs: Record<string, string>) {
  const sizes: Record<string, { zippedMB: number; unzippedMB: number }> = {};
  for (const [name, dir] of Object.entries(dirs)) {
    let unzipped = 0;
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
      if (entry.isFile()) unzipped += (await stat(path.join(entry.parentPath, entry.name))).size;
    const zipped = (await stat(path.join(serverlessDir, `${name}.zip`))).size;
    sizes[name] = { zippedMB: round(zipped / 1e6), unzippedMB: round(unzipped / 1e6) };
  }
  return sizes;
}

// 99 KB: a real photo from the test data (../shared/testdata or PETTRACKER_TESTDATA).
const photo = await readFile(path.join(petsDir, 'Bengal_16.jpg'));
const predictEvent = (image: Buffer) =>
  httpApiEvent({
    ...{ method: 'POST', url: '/predict', routeKey: 'POST /predict' },
    ...{ headers: { 'content-type': 'image/jpeg' }, body: image },
  });
// Claims as API Gateway's authorizer passes them (as strings); tokens without exp are refused.
const claims = { sub: 'bench-user', exp: String(Math.floor(Date.now() / 1000) + 24 * 3600) };
const listEvent = () =>
  httpApiEvent({ method: 'GET', url: '/predictions?limit=20', routeKey: 'GET /predictions', claims });
const saveEvent = (i: number) =>
  httpApiEvent({
    ...{ method: 'POST', url: '/predictions', routeKey: 'POST /predictions', claims },
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...{ breed: 'Bengal', confidence: 0.9, imageSha256: 'd'.repeat(64) },
      ...{ modelVersion: `v${i}`, source: 'model' },
    }),
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
  const only = process.env.BENCH_LAMBDA_MODELS?.split(',');
  const models = Object.entries(allModels).filter(([label]) => !only || only.some((o) => label.includes(o)));
  const predict: Record<string, object> = {};
  for (const [label, modelUri] of models) {
    const cold = await coldStarts(bundle('predict'), env('predict', modelUri), predictEvent(photo));
    const host = await startLambdaHost(bundle('predict'), env('predict', modelUri));
    const warmCacheMiss = await warmLatency(host, (i) => predictEvent(jpegVariant(photo, i + 1)));
    const warmCacheHit = await warmLatency(host, () => predictEvent(photo));
    host.close();
    predict[label] = { cold, warmCacheMiss, warmCacheHit };
  }
  // Lambda gives a function CPU in proportion to its memory: one vCPU at 1769 MB, about 1.7 at
  // 3008 MB. Each size is played by pinning the function to that many of this machine's CPUs (two
  // for 3008 MB: a little more than Lambda gives), with the bundled default model, only in its row.
  const memorySizes = models.some(([label]) => label.includes('default'))
    ? [
        { memoryMb: 1769, cpus: '1', note: '1 vCPU: pinned to 1 CPU' },
        { memoryMb: 3008, cpus: '0,1', note: '~1.7 vCPU: pinned to 2 CPUs' },
      ]
    : [];
  const bySize: Record<string, object> = {};
  for (const { memoryMb, cpus, note } of memorySizes) {
    const sizeEnv = {
      ...env('predict', 'models/pets-mobilenet-v1'),
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    };
    const cold = await coldStarts(bundle('predict'), sizeEnv, predictEvent(photo), cpus);
    const host = await startLambdaHost(bundle('predict'), sizeEnv, { cpus });
    // Variants of their own: the rows above cached theirs in the shared cache.
    const warmCacheMiss = await warmLatency(host, (i) =>
      predictEvent(jpegVariant(photo, memoryMb * 1_000_000 + i)),
    );
    host.close();
    bySize[`${memoryMb} MB`] = { cpus: note, cold, warmCacheMiss };
  }
  const listHost = await startLambdaHost(bundle('list-predictions'), env('list-predictions'));
  const saveHost = await startLambdaHost(bundle('save-prediction'), env('save-prediction'));
  const history = {
    coldList: await coldStarts(bundle('list-predictions'), env('list-predictions'), listEvent()),
    // With the bundled default model, as deployed: saving checks the breed against its labels.
    coldSave: await coldStarts(
      bundle('save-prediction'),
      env('save-prediction', 'models/pets-mobilenet-v1'),
      saveEvent(-2),
    ),
    warmSave: await warmLatency(saveHost, saveEvent),
    warmList: await warmLatency(listHost, listEvent),
  };
  listHost.close();
  saveHost.close();

  const results = {
    measuredAt: new Date().toISOString(),
    machine: machine(),
    photoBytes: photo.length,
    store: services.aws
      ? 'Data API emulator over PostgreSQL; Upstash emulator over Redis'
      : 'Data API emulator over PGlite; memory cache',
    sizes,
    predict,
    predictDefaultModelByMemorySize: bySize,
    history,
  };
  await writeResults('bench/results/lambda.json', results);
  console.log(JSON.stringify(results, null, 2));
} finally {
  await jwks.close();
  await services.close();
  await pkg.close();
  await rm(work, { recursive: true, force: true });
}
