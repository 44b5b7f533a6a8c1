import { isUtf8 } from 'node:buffer';
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { getSystemErrorMap } from 'node:util';
import { AppError } from '../shared/errors.js';

/**
 * A path as fs takes it. A Linux file name is any bytes but '/' and NUL; one that is not UTF-8 has
 * no string form (decoding replaces its bad bytes, and the result names no file), so it stays bytes.
 */
export type FilePath = string | Buffer;

export interface ImageFile {
  path: FilePath;
  /** Relative to the listed folder, with forward slashes; see shownName. */
  name: string;
}

const IMAGE = /\.(jpe?g|png|webp)$/i;

/** A name as text: its UTF-8, with each byte that is not part of a valid sequence written \xNN. */
export function shownName(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let shown = '';
  for (let i = 0; i < bytes.length; ) {
    // A valid sequence has no valid proper prefix, so the first length that decodes is the sequence.
    const length = [1, 2, 3, 4].find((n) => i + n <= bytes.length && isUtf8(bytes.subarray(i, i + n)));
    if (length === undefined) {
      shown += `\\x${(bytes[i] ?? 0).toString(16).padStart(2, '0')}`;
      i++;
    } else {
      shown += bytes.toString('utf8', i, i + length);
      i += length;
    }
  }
  return shown;
}

export const shownPath = (file: FilePath): string => (typeof file === 'string' ? file : shownName(file));

function child(dir: FilePath, name: Buffer): FilePath {
  return typeof dir === 'string' && isUtf8(name)
    ? path.join(dir, name.toString('utf8'))
    : Buffer.concat([Buffer.from(dir), Buffer.from(path.sep), name]);
}

/**
 * A file, or a symlink to one (a folder of links to photos kept elsewhere); linked folders are not
 * followed. A link that leads nowhere is listed, so that reading it says why it cannot be used.
 */
async function isListed(entry: Dirent<Buffer>, full: FilePath): Promise<boolean> {
  if (entry.isFile()) return true;
  return (
    entry.isSymbolicLink() &&
    (await stat(full).then(
      (s) => s.isFile(),
      () => true,
    ))
  );
}

/**
 * The .jpg, .jpeg, .png and .webp files under `root` down to `maxDepth` folders below it (0: only its
 * own), hidden ones left out, sorted by name so that runs and reports are reproducible. The one
 * folder reader of train and eval.
 */
export async function listImages(root: string, maxDepth = Number.POSITIVE_INFINITY): Promise<ImageFile[]> {
  const found: ImageFile[] = [];
  const walk = async (dir: FilePath, prefix: string, depth: number) => {
    const entries = (await readdir(dir, { encoding: 'buffer', withFileTypes: true }))
      .map((entry) => ({ entry, name: shownName(entry.name) }))
      .filter(({ name }) => !name.startsWith('.'))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { entry, name } of entries) {
      const full = child(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < maxDepth) await walk(full, `${prefix}${name}/`, depth + 1);
      } else if (IMAGE.test(name) && (await isListed(entry, full))) {
        found.push({ path: full, name: prefix + name });
      }
    }
  };
  await walk(path.resolve(root), '', 0);
  return found;
}

/** Why a photo cannot be used: a stable code, and words for a person. */
export interface Unusable {
  code: string;
  message: string;
}

const SYSTEM_ERRORS = getSystemErrorMap();

// The API's words speak of requests; these speak of files.
const FILE_WORDS: Partial<Record<string, string>> = {
  EMPTY_BODY: 'empty file',
  UNSUPPORTED_MEDIA_TYPE: 'not a JPEG, PNG or WebP image',
  CORRUPT_IMAGE: 'corrupt or truncated image',
};

/**
 * The reason a photo was not used, when the error is about the photo: the file system's (EACCES,
 * ENOENT...) or the API's refusal of its bytes. Undefined for anything else, which is a bug to surface.
 */
export function unusableReason(error: unknown): Unusable | undefined {
  if (error instanceof AppError)
    return { code: error.code, message: FILE_WORDS[error.code] ?? error.message };
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  if (typeof code !== 'string' || typeof errno !== 'number') return undefined;
  return { code, message: SYSTEM_ERRORS.get(errno)?.[1] ?? code };
}

/** The stderr line that names a skipped photo. */
export const skippedLine = (file: FilePath, why: Unusable) =>
  `skipped ${shownPath(file)}: ${why.message} (${why.code})`;
