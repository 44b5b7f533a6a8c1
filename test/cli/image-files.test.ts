import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listImages, shownName, shownPath, unusableReason } from '../../cli/image-files.js';
import { UnprocessableImageError } from '../../shared/errors.js';

// "c\xff.jpg": 0xff is never part of UTF-8, so no string names this file.
const NOT_UTF8 = Buffer.from([0x63, 0xff, 0x2e, 0x6a, 0x70, 0x67]);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'pettracker-image-files-'));
  const bytes = (...parts: (string | Buffer)[]) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
  await mkdir(path.join(root, 'Beagle'));
  await mkdir(bytes(root, '/Sph', Buffer.from([0xe9]), 'nx')); // a Latin-1 folder name
  await writeFile(bytes(root, '/Beagle/', NOT_UTF8), 'beagle photo');
  await writeFile(bytes(root, '/Sph', Buffer.from([0xe9]), 'nx/', NOT_UTF8), 'sphynx photo');
  await writeFile(path.join(root, 'Beagle', 'b.JPEG'), 'b');
  await writeFile(path.join(root, 'Beagle', '._b.jpg'), 'macOS resource fork, not a photo');
  await writeFile(path.join(root, 'Beagle', 'notes.txt'), 'n');
  await symlink(path.join(root, 'gone.jpg'), path.join(root, 'Beagle', 'dangling.jpg'));
  await writeFile(path.join(root, 'top.png'), 't');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('listing the photos of a folder', () => {
  it('lists names that are not UTF-8 as paths that open the file, shown with \\x escapes', async () => {
    const images = await listImages(root);
    expect(images.map((i) => i.name)).toEqual([
      'Beagle/b.JPEG',
      'Beagle/c\\xff.jpg',
      'Beagle/dangling.jpg',
      'Sph\\xe9nx/c\\xff.jpg',
      'top.png',
    ]);
    const [, beagle, , sphynx] = images;
    expect(await readFile(beagle?.path as Buffer, 'utf8')).toBe('beagle photo');
    expect(await readFile(sphynx?.path as Buffer, 'utf8')).toBe('sphynx photo');
    expect(shownPath(beagle?.path as Buffer)).toBe(path.join(root, 'Beagle', 'c\\xff.jpg'));
    // Names that are UTF-8 stay plain strings.
    expect(images[0]?.path).toBe(path.join(root, 'Beagle', 'b.JPEG'));
  });

  it('keeps a dangling link, so that reading it says why; leaves hidden files out', async () => {
    const names = (await listImages(root)).map((i) => i.name);
    expect(names).toContain('Beagle/dangling.jpg');
    expect(names.some((n) => n.includes('._b'))).toBe(false);
  });

  it('goes no deeper than asked', async () => {
    expect((await listImages(root, 0)).map((i) => i.name)).toEqual(['top.png']);
  });

  it('shows valid multi-byte characters as they are and each stray byte as \\xNN', () => {
    expect(shownName(Buffer.from('Sphynx ü 猫.jpg'))).toBe('Sphynx ü 猫.jpg');
    expect(shownName(Buffer.concat([Buffer.from('ü'), Buffer.from([0xc3]), Buffer.from('猫')]))).toBe(
      'ü\\xc3猫',
    );
  });
});

describe('why a photo cannot be used', () => {
  it('says what the file system said, and what the API would refuse, in words for files', async () => {
    const missing = await readFile(path.join(root, 'Beagle', 'dangling.jpg')).catch((e: unknown) => e);
    expect(unusableReason(missing)).toEqual({ code: 'ENOENT', message: 'no such file or directory' });
    const corrupt = new UnprocessableImageError('CORRUPT_IMAGE', 'The image could not be decoded.');
    expect(unusableReason(corrupt)).toEqual({ code: 'CORRUPT_IMAGE', message: 'corrupt or truncated image' });
  });

  it('gives no reason for an error that is not about the photo: a bug must surface', () => {
    expect(unusableReason(new TypeError('x is undefined'))).toBeUndefined();
    const nodeError = Object.assign(new TypeError('bad argument'), { code: 'ERR_INVALID_ARG_TYPE' });
    expect(unusableReason(nodeError)).toBeUndefined();
  });
});
