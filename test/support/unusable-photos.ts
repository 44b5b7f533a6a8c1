import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeJpeg, makePng } from './images.js';

/** "c\xff.jpg": 0xff is never part of UTF-8, so no string names this file. */
export const NOT_UTF8_NAME = Buffer.from([0x63, 0xff, 0x2e, 0x6a, 0x70, 0x67]);
export const NOT_UTF8_SHOWN = 'c\\xff.jpg';

/** Distinct real photos (each size encodes differently), named 1.jpg, 2.png, 3.jpg... */
export async function writePhotos(dir: string, count: number, seed: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 1; i <= count; i++) {
    const image = i % 2 === 0 ? await makePng(40 + seed, 50 + i) : await makeJpeg(160 + seed, 120 + i);
    await writeFile(path.join(dir, `${i}.${i % 2 === 0 ? 'png' : 'jpg'}`), image);
  }
}

/** A real JPEG under a name that is not UTF-8. */
export async function writeNotUtf8Photo(dir: string): Promise<void> {
  await writeFile(Buffer.concat([Buffer.from(`${dir}${path.sep}`), NOT_UTF8_NAME]), await makeJpeg(201, 149));
}

/** Each kind of file that cannot be used, by the name it is written under, and the code it is skipped with. */
export const UNUSABLE = {
  'corrupt.jpg': 'CORRUPT_IMAGE',
  'dangling.jpg': 'ENOENT',
  'empty.png': 'EMPTY_BODY',
  'locked.jpg': 'EACCES',
  'notes.jpg': 'UNSUPPORTED_MEDIA_TYPE',
  'truncated.jpg': 'CORRUPT_IMAGE',
} as const;

/**
 * The files of UNUSABLE, in `dir`. The locked one is unreadable only to a process that is not root
 * (see UNPRIVILEGED); the dangling one is a link to a file that is not there.
 */
export async function writeUnusablePhotos(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const jpeg = await makeJpeg(180, 140);
  const write = (name: keyof typeof UNUSABLE, bytes: Buffer) => writeFile(path.join(dir, name), bytes);
  await write('corrupt.jpg', Buffer.concat([jpeg.subarray(0, 4), Buffer.from('not the rest of a JPEG')]));
  await write('truncated.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  await write('empty.png', Buffer.alloc(0));
  await write('notes.jpg', Buffer.from('shopping list: kibble, a ball\n'));
  await write('locked.jpg', await makeJpeg(170, 130));
  await chmod(path.join(dir, 'locked.jpg'), 0o000);
  await symlink(path.join(dir, 'moved-away.jpg'), path.join(dir, 'dangling.jpg'));
}

/**
 * A folder of photos by breed sub-folder with every kind of file that cannot be used among them:
 * Beagle/ holds `perBreed` photos, one with a name that is not UTF-8, and the files of UNUSABLE;
 * Sphynx/ holds `perBreed` photos.
 */
export async function writeMixedFolder(dir: string, perBreed: number): Promise<void> {
  await writePhotos(path.join(dir, 'Beagle'), perBreed, 1);
  await writeNotUtf8Photo(path.join(dir, 'Beagle'));
  await writeUnusablePhotos(path.join(dir, 'Beagle'));
  await writePhotos(path.join(dir, 'Sphynx'), perBreed, 2);
}
