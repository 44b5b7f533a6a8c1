import { describe, expect, it } from 'vitest';
import { checkDecodeCost, decodeCost, rawSampleBytes } from '../../../shared/image/decode-cost.js';
import { DEFAULT_DECODE_GATE } from '../../../shared/image/decode-gate.js';
import type { ImageHeader } from '../../../shared/image/image-header.js';

describe('what a decode costs', () => {
  const mobilenet = [224, 224] as const;
  const MB = 1024 * 1024;
  const header = (over: Partial<ImageHeader>): ImageHeader => ({
    format: 'jpeg',
    width: 4_032,
    height: 3_024,
    orientation: undefined,
    channels: 3,
    sampleBytes: 1,
    layout: 'streaming',
    chromaSubsampling: '4:2:0',
    webpAlpha: false,
    compressedBytes: 3 * MB,
    ...over,
  });
  const cost = (over: Partial<ImageHeader>) => decodeCost(header(over), mobilenet, 'center-crop').bytes / MB;

  it('is small for phone photos', () => {
    expect(cost({})).toBeLessThan(16);
  });

  it('counts the rows libvips holds of a strip it need not shrink, so the widest 16-bit ones exceed the budget', () => {
    const budget = DEFAULT_DECODE_GATE.budgetBytes / MB;
    const rgba16 = { format: 'png', channels: 4, sampleBytes: 2 };
    expect(cost({ ...rgba16, width: 156_000, height: 256 })).toBeGreaterThan(budget);
    // Rows of a tall strip are narrow: what it costs is CPU, which rawSampleBytes counts.
    expect(cost({ ...rgba16, width: 256, height: 156_000 })).toBeLessThan(16);
    expect(cost({ format: 'png', width: 30_000, height: 256, channels: 3 })).toBeLessThan(budget / 2);
  });

  it('counts the whole image for layouts decoded whole, so 40 MP of them exceed the default budget', () => {
    const budget = DEFAULT_DECODE_GATE.budgetBytes / MB;
    const forty = { width: 6_324, height: 6_324, layout: 'whole-image' as const };
    expect(cost({ ...forty, chromaSubsampling: '4:4:4' })).toBeGreaterThan(budget);
    expect(cost({ ...forty, format: 'png', channels: 4, sampleBytes: 2 })).toBeGreaterThan(budget);
    expect(cost({ ...forty, format: 'webp' })).toBeGreaterThan(budget);
    // A 12 MP progressive phone JPEG still fits.
    expect(cost({ layout: 'whole-image' })).toBeLessThan(budget / 2);
  });

  it('refuses with IMAGE_TOO_MANY_PIXELS, naming the reason, what alone exceeds the budget', () => {
    const progressive = header({ width: 6_324, height: 6_324, layout: 'whole-image' });
    const { bytes } = decodeCost(progressive, mobilenet, 'center-crop');
    expect(() => checkDecodeCost(progressive, bytes, 128 * MB)).toThrow(/progressive JPEG is decoded whole/);
    expect(() => checkDecodeCost(progressive, bytes, bytes)).not.toThrow();
  });

  it('counts the samples a decoder produces, and calls heavy what loads over 64 MB of them', () => {
    expect(rawSampleBytes(header({}))).toBe(4_032 * 3_024 * 3);
    expect(rawSampleBytes(header({ channels: 4, sampleBytes: 2 }))).toBe(4_032 * 3_024 * 8);
    // A 12 MP phone photo is ordinary; 40 MP, or 12 MP of 16-bit RGBA, is heavy.
    const heavy = (over: Partial<ImageHeader>) => decodeCost(header(over), mobilenet, 'center-crop').heavy;
    // A JPEG shrinks on load: even 40 MP of one loads at an eighth of each side, and is ordinary.
    expect(heavy({})).toBe(false);
    expect(heavy({ width: 7_300, height: 5_480 })).toBe(false);
    // A PNG loads whole: 12 MP of 8-bit RGB is ordinary, 40 MP or 12 MP of 16-bit RGBA is heavy.
    expect(heavy({ format: 'png' })).toBe(false);
    expect(heavy({ format: 'png', width: 7_300, height: 5_480 })).toBe(true);
    expect(heavy({ format: 'png', channels: 4, sampleBytes: 2 })).toBe(true);
  });
});
