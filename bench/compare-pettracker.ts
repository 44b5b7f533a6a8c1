/**
 * bench:compare's pettracker row: the Express runtime as Beanstalk runs it (the built server, the
 * bundled default model) on a fresh PostgreSQL database and Redis, pinned to the server CPU; seeds
 * the cache and the list user's history, and hands the rounds its hit, save and list loads.
 */
import path from 'node:path';
import { DEFAULT_MODEL_URI } from '../shared/config/env-schema.js';
import type { LoadPath } from './compare-args.js';
import type { ServerFigures } from './compare-report.js';
import { type Contender, hitLoad } from './compare-rounds.js';
import { treeRssMb } from './compare-servers.js';
import { expectStatus, type PredictAnswer, saveBodyOf, seed } from './predict-answer.js';
import { startBenchServer } from './servers.js';

export interface PettrackerRun {
  databaseUrl: string;
  redisUrl: string;
  serverCpu: string;
  /** Where its CPU profile goes (node --cpu-prof); none when undefined. */
  cpuProfDir: string | undefined;
  /** Rows seeded for the list user. */
  listRows: number;
  photo: Buffer;
  photoPath: string;
}

const imageHeaders = { 'content-type': 'image/jpeg' };

export async function startPettracker(run: PettrackerRun): Promise<Contender<Omit<ServerFigures, LoadPath>>> {
  const { databaseUrl, redisUrl, photo, photoPath } = run;
  console.error('pettracker (Express runtime, PostgreSQL, Redis)');
  const server = await startBenchServer(
    // The bundled default model, as production serves it: its weights count in the RSS figure.
    {
      DATABASE_URL: databaseUrl,
      MIGRATE_ON_START: 'true',
      REDIS_URL: redisUrl,
      MODEL_URI: DEFAULT_MODEL_URI,
    },
    {
      cpus: run.serverCpu,
      nodeFlags: run.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(run.cpuProfDir)}`] : [],
    },
  );
  try {
    const predict = () =>
      fetch(`${server.url}/predict`, { method: 'POST', headers: imageHeaders, body: photo });
    await expectStatus(await predict(), 'pettracker predict');
    const answer = (await expectStatus(await predict(), 'pettracker predict')) as PredictAnswer;
    if (!answer.cached) throw new Error('pettracker: the second predict of the photo was not a cache hit');
    const headers = async (user: string) => ({
      authorization: `Bearer ${await server.token(user)}`,
      'content-type': 'application/json',
    });
    const saveBody = saveBodyOf(answer, 0.9);
    const listHeaders = await headers('bench-list');
    await seed(run.listRows, 8, () =>
      fetch(`${server.url}/predictions`, { method: 'POST', headers: listHeaders, body: saveBody }),
    );
    const page = (await expectStatus(
      await fetch(`${server.url}/predictions?limit=20`, { headers: listHeaders }),
      'pettracker list',
    )) as { items: unknown[] };
    if (page.items.length !== 20)
      throw new Error(`pettracker list answered ${page.items.length} rows, not 20`);
    return {
      name: 'pettracker',
      loads: {
        hit: hitLoad('pettracker', server.url, photoPath),
        save: {
          name: 'pettracker save',
          url: `${server.url}/predictions`,
          method: 'POST',
          headers: await headers('bench-save'),
          bodyText: saveBody,
        },
        list: {
          name: 'pettracker list',
          url: `${server.url}/predictions?limit=20`,
          method: 'GET',
          headers: { authorization: listHeaders.authorization },
        },
      },
      figures: async () => ({
        rssMb: await treeRssMb(server.pid),
        peakRssMb: (await server.memoryMb()).peak,
      }),
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
