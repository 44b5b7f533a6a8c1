/**
 * npm run eb:bundle [-- --settings <file.json>] [--out <dir>]: builds the Elastic Beanstalk source
 * bundle (dist/eb/pettracker-eb.zip by default) from the deploy settings, which name the externally
 * owned database, the ElastiCache endpoint and the secrets. Exits 1, saying why, when the settings
 * are invalid or the bundle would declare a database inside the environment.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildBundle } from '../eb-compat/bundle/build-bundle.js';
import { readDeploySettings, settingsWarnings } from '../eb-compat/bundle/deploy-settings.js';
import { projectRoot } from '../shared/config.js';

const { values } = parseArgs({
  options: {
    settings: { type: 'string', default: 'eb-compat/deploy-settings.example.json' },
    out: { type: 'string', default: 'dist/eb' },
  },
});
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

try {
  const settingsFile = path.resolve(projectRoot, values.settings);
  const settings = await readDeploySettings(settingsFile);
  for (const warning of settingsWarnings(settings)) console.warn(`warning: ${warning}`);
  const started = performance.now();
  const built = await buildBundle({ settings, outDir: path.resolve(projectRoot, values.out) });
  for (const entry of built.entries) console.log(`${entry.file}  ${mb(entry.bytes)}`);
  console.log(
    `${path.relative(process.cwd(), built.zipPath)}: ${mb(built.zipBytes)} zipped, ` +
      `${mb(built.unpackedBytes)} unpacked (before the instance installs sharp), ` +
      `built in ${Math.round(performance.now() - started)} ms from ${path.relative(projectRoot, settingsFile)}`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
