import { describe, expect, it } from 'vitest';
import { sniffImageType } from '../../../shared/image/sniff-image.js';
import { checkImageBytes } from '../../../shared/image/validate-image.js';
import { makeJpeg, makePng } from '../../support/images.js';

const limits = { maxImageBytes: 1_000_000, maxImagePixels: 40_000_000 };

describe('image sniffing', () => {
  it('recognises JPEG, PNG and WebP by their magic bytes and nothing else', async () => {
    expect(sniffImageType(await makeJpeg(8, 8))).toBe('image/jpeg');
    expect(sniffImageType(await makePng(8, 8))).toBe('image/png');
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });

  it('accepts a generic or matching content type and refuses a contradicting one', async () => {
    const jpeg = await makeJpeg(8, 8);
    expect(checkImageBytes(jpeg, 'image/jpeg; charset=binary', limits)).toBe('image/jpeg');
    expect(checkImageBytes(jpeg, 'application/octet-stream', limits)).toBe('image/jpeg');
    expect(checkImageBytes(jpeg, undefined, limits)).toBe('image/jpeg');
    expect(() => checkImageBytes(jpeg, 'image/png', limits)).toThrow(
      expect.objectContaining({ status: 415, code: 'CONTENT_TYPE_MISMATCH' }),
    );
  });

  it('rejects an empty body with 400 and an oversize one with 413', () => {
    expect(() => checkImageBytes(Buffer.alloc(0), 'image/jpeg', limits)).toThrow(
      expect.objectContaining({ status: 400, code: 'EMPTY_BODY' }),
    );
    expect(() => checkImageBytes(Buffer.alloc(limits.maxImageBytes + 1), 'image/jpeg', limits)).toThrow(
      expect.objectContaining({ status: 413, code: 'IMAGE_TOO_LARGE' }),
    );
  });
});
