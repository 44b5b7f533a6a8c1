import { afterAll, beforeAll, describe } from 'vitest';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../support/services.js';
import { claimsTokens } from './support/claims-tokens.js';
import { type ExpressProcess, startExpressProcess } from './support/express-process.js';
import { loadImageCorpus } from './support/image-bodies.js';
import {
  type PropertyTarget,
  registerIdempotencyProperty,
  registerPropertySuite,
} from './support/property-suite.js';
import { type RowWatch, watchRows } from './support/row-watch.js';
import { seedHistory } from './support/seed-history.js';
import { tokenPool } from './support/token-pool.js';

const available = await postgresAvailable();
// Small enough that the corpus photos and the oversize cases reach the limit quickly.
const MAX_IMAGE_BYTES = 300_000;

describe.skipIf(!available)(
  'property suite: Express (npm start, own process) over the real PostgreSQL',
  () => {
    let database: TempDatabase;
    let server: ExpressProcess;
    let rows: RowWatch;
    let target: PropertyTarget;

    beforeAll(async () => {
      database = await createTempDatabase();
      server = await startExpressProcess({
        STORE: 'pg',
        DATABASE_URL: database.url,
        MIGRATE_ON_START: 'true',
        PG_POOL_MAX: '4',
        MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES),
      });
      rows = await watchRows(database.url);
      const tokens = await tokenPool(await claimsTokens(server.dataDir));
      const context = await seedHistory(server.send, tokens, await loadImageCorpus(MAX_IMAGE_BYTES));
      target = {
        send: server.send,
        pid: server.pid,
        health: server.health,
        ensureRunning: server.ensureRunning,
        output: server.output,
        rows,
        // Express decodes the path itself: malformed percent-escapes are its to answer.
        context: { ...context, malformedEscapes: true },
      };
    });
    afterAll(async () => {
      await rows?.close();
      await server?.close();
      await database?.drop();
    });

    registerPropertySuite('Express', () => target);
    registerIdempotencyProperty('Express', () => target);
  },
);
