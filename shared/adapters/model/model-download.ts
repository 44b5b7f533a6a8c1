import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../ports/logger.js';
import { ModelLoadError } from './model-errors.js';
import { checkWeightSizes, expectedGroupBytes, parseModelJson, weightFilePaths } from './model-json.js';

/** One file of a remote model; undefined from the fetcher means "not there" (404, NoSuchKey). */
export interface RemoteFile {
  body: AsyncIterable<Uint8Array>;
  size: number | undefined;
}
export type FetchFile = (name: string) => Promise<RemoteFile | undefined>;

export interface DownloadProgress {
  file: string;
  /** Weight bytes received so far and expected in total, over all weight files. */
  bytesDone: number;
  bytesTotal: number;
}

export interface DownloadOptions {
  /** Local folder for this model; a complete earlier download there is reused. */
  dir: string;
  /** Where the model comes from, for messages. */
  where: string;
  onProgress?: (progress: DownloadProgress) => void;
  logger?: Pick<Logger, 'info'>;
}

// Written last: its presence means every file listed in it arrived whole.
const MARKER = '.download-complete.json';

async function isComplete(dir: string): Promise<boolean> {
  try {
    const sizes = JSON.parse(await readFile(path.join(dir, MARKER), 'utf8')) as Record<string, number>;
    for (const [name, size] of Object.entries(sizes)) {
      if ((await stat(path.join(dir, name))).size !== size) return false;
    }
    return true;
  } catch {
    return false;
  }
}

async function save(
  dir: string,
  name: string,
  file: RemoteFile,
  where: string,
  onChunk: (bytes: number) => void = () => {},
) {
  const target = path.join(dir, name);
  await mkdir(path.dirname(target), { recursive: true });
  // A temporary name, renamed when whole, so a crash never leaves a short file under the real name.
  const part = `${target}.${process.pid}.part`;
  const out = createWriteStream(part);
  let size = 0;
  try {
    for await (const chunk of file.body) {
      size += chunk.byteLength;
      if (!out.write(chunk)) await once(out, 'drain');
      onChunk(chunk.byteLength);
    }
    out.end();
    await once(out, 'finish');
  } catch (error) {
    out.destroy();
    await rm(part, { force: true });
    // A dropped connection surfaces as a bare TypeError from fetch: say which file it was.
    throw error instanceof ModelLoadError
      ? error
      : new ModelLoadError(`${where}: download of ${name} broke off.`, { cause: error });
  }
  await rename(part, target);
  return size;
}

async function fetchRequired(fetchFile: FetchFile, name: string, where: string) {
  const file = await fetchFile(name);
  if (file === undefined) throw new ModelLoadError(`${where}: ${name} was not found.`);
  return file;
}

/**
 * Downloads model.json, metadata.json (when there is one) and every weight file the manifest lists
 * into options.dir, checks the weight sizes against the manifest and leaves a marker so that the next
 * start reuses the files instead of downloading them again.
 */
export async function downloadModel(fetchFile: FetchFile, options: DownloadOptions): Promise<void> {
  const { dir, where } = options;
  if (await isComplete(dir)) {
    options.logger?.info({ source: where, dir }, 'model files reused from the download cache');
    return;
  }
  await mkdir(dir, { recursive: true });
  await rm(path.join(dir, MARKER), { force: true });
  const sizes: Record<string, number> = {};

  const modelJsonFile = await fetchRequired(fetchFile, 'model.json', where);
  sizes['model.json'] = await save(dir, 'model.json', modelJsonFile, where);
  const modelJson = parseModelJson(await readFile(path.join(dir, 'model.json')), where);
  const metadata = await fetchFile('metadata.json');
  if (metadata !== undefined) sizes['metadata.json'] = await save(dir, 'metadata.json', metadata, where);
  else await rm(path.join(dir, 'metadata.json'), { force: true });

  const bytesTotal = modelJson.weightsManifest.reduce(
    (sum, group) => sum + (expectedGroupBytes(group) ?? 0),
    0,
  );
  let bytesDone = 0;
  for (const name of weightFilePaths(modelJson)) {
    const file = await fetchRequired(fetchFile, name, where);
    sizes[name] = await save(dir, name, file, where, (bytes) => {
      bytesDone += bytes;
      options.onProgress?.({ file: name, bytesDone, bytesTotal });
    });
  }
  checkWeightSizes(modelJson, (name) => sizes[name] ?? 0, where);
  await writeFile(path.join(dir, MARKER), JSON.stringify(sizes));
  options.logger?.info({ source: where, dir, bytes: bytesDone }, 'model downloaded');
}

/** A progress callback that logs at every 10 % of the weights, not at every network chunk. */
export function logDownloadProgress(logger: Pick<Logger, 'info'>): (progress: DownloadProgress) => void {
  let lastStep = -1;
  return (progress) => {
    const step = progress.bytesTotal > 0 ? Math.floor((progress.bytesDone / progress.bytesTotal) * 10) : 0;
    if (step === lastStep) return;
    lastStep = step;
    logger.info(progress, `model download ${step * 10}%`);
  };
}
