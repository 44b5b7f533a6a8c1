import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../../ports/logger.js';
import { httpFetcher } from './http-source.js';
import { MOBILENET_PRESET, MOBILENET_URL, mobilenetDescription } from './mobilenet-preset.js';
import { type DownloadProgress, downloadModel, type FetchFile, type RemoteFile } from './model-download.js';
import { ModelLoadError } from './model-errors.js';
import { METADATA_FILE, type ModelDescription, metadataJson, parseModelMetadata } from './model-metadata.js';
import { s3Fetcher } from './s3-source.js';

export interface ModelSourceOptions {
  /** Where remote models are downloaded to; Lambda can only write under /tmp. */
  cacheDir?: string;
  /** For s3:// URIs; a default client (region and credentials from the environment) otherwise. */
  s3Client?: S3Client;
  onProgress?: (progress: DownloadProgress) => void;
  logger?: Pick<Logger, 'info'>;
  /** Per-file HTTP timeout. */
  httpTimeoutMs?: number;
  /** Where the 'mobilenet' preset downloads from: Google's copy unless a mirror is given. */
  mobilenetUrl?: string;
}

export interface ResolvedSource {
  /** A local folder holding model.json, the weight files and (unless a preset) metadata.json. */
  dir: string;
  /** The URI as given, for ModelInfo.source. */
  source: string;
  /** Set by presets, which bring their metadata instead of reading a metadata.json. */
  description?: ModelDescription;
}

export const DEFAULT_MODEL_CACHE_DIR = path.join(os.tmpdir(), 'pettracker-models');

/** One cache folder per URI: readable name plus a hash, so two URIs never share files. */
export function cacheFolderFor(cacheDir: string, uri: string): string {
  const hash = createHash('sha256').update(uri).digest('hex').slice(0, 10);
  const tail =
    uri
      .replace(/\/(model\.json)?$/, '')
      .split('/')
      .pop() ?? 'model';
  return path.join(cacheDir, `${tail.replace(/[^\w.-]/g, '_')}-${hash}`);
}

async function download(uri: string, fetchFile: FetchFile, options: ModelSourceOptions): Promise<string> {
  const dir = cacheFolderFor(options.cacheDir ?? DEFAULT_MODEL_CACHE_DIR, uri);
  await downloadModel(fetchFile, { dir, where: uri, onProgress: options.onProgress, logger: options.logger });
  return dir;
}

/** How to fetch the files of an s3:// or http(s):// model; undefined for anything else. */
function remoteFiles(uri: string, options: ModelSourceOptions): FetchFile | undefined {
  if (uri.startsWith('s3://')) return s3Fetcher(uri, options.s3Client ?? new S3Client({}));
  if (/^https?:\/\//.test(uri)) return httpFetcher(uri, options.httpTimeoutMs);
  return undefined;
}

async function localDir(uri: string): Promise<string> {
  const dir = path.resolve(uri.startsWith('file://') ? fileURLToPath(uri) : uri);
  const isDir = await stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isDir)
    throw new ModelLoadError(`${uri}: not a folder, s3:// or http(s):// URI, nor the 'mobilenet' preset.`);
  return dir;
}

/**
 * Turns MODEL_URI into a local folder: a directory is used in place; s3:// and http(s):// models are
 * downloaded once into the cache; 'mobilenet' is Google's hosted MobileNet with built-in metadata.
 */
export async function resolveModelSource(
  uri: string,
  options: ModelSourceOptions = {},
): Promise<ResolvedSource> {
  if (uri === MOBILENET_PRESET) {
    const url = options.mobilenetUrl ?? MOBILENET_URL;
    const dir = await download(url, httpFetcher(url, options.httpTimeoutMs), options);
    return { dir, source: url, description: await mobilenetDescription() };
  }
  const remote = remoteFiles(uri, options);
  if (remote) return { dir: await download(uri, remote, options), source: uri };
  const dir = await localDir(uri);
  return { dir, source: dir };
}

/**
 * What the model MODEL_URI names says of itself (labels, input size, preprocessing), from its
 * metadata.json alone: no model.json, no weights, no TF.js. For a function that checks breeds
 * against the labels but never classifies.
 */
export async function describeModelSource(
  uri: string,
  options: ModelSourceOptions = {},
): Promise<ModelDescription> {
  if (uri === MOBILENET_PRESET) return mobilenetDescription();
  const remote = remoteFiles(uri, options);
  const source = remote ? uri : await localDir(uri);
  const bytes = remote
    ? await readRemote(await remote(METADATA_FILE))
    : await readFile(path.join(source, METADATA_FILE)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
  return parseModelMetadata(metadataJson(bytes, source), source);
}

async function readRemote(file: RemoteFile | undefined): Promise<Buffer | undefined> {
  if (file === undefined) return undefined;
  const chunks: Uint8Array[] = [];
  for await (const chunk of file.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}
