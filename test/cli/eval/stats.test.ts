import { describe, expect, it } from 'vitest';
import { rate } from '../../../cli/eval/observation.js';
import { mcnemarExact, wilsonInterval } from '../../../cli/eval/stats.js';

describe('the Wilson score interval', () => {
  it('matches hand-computed 95% intervals', () => {
    // z = 1.96: centre (p + z²/2n) / (1 + z²/n), half-width z·√(p(1-p)/n + z²/4n²) / (1 + z²/n).
    // 3/9: centre 0.54675/1.42682 = 0.38319, half 1.96·0.19117/1.42682 = 0.26262.
    const third = wilsonInterval(3, 9);
    expect(third?.low).toBeCloseTo(0.1206, 4);
    expect(third?.high).toBeCloseTo(0.6458, 4);
    // 284/333 (the top-1): centre 0.858621/1.011536 = 0.848829, half 0.038045.
    const top1 = wilsonInterval(284, 333);
    expect(top1?.low).toBeCloseTo(0.8108, 4);
    expect(top1?.high).toBeCloseTo(0.8869, 4);
    // 1/2: symmetric about one half, half-width 1.96·√(0.125 + 0.96040/16)/1.96040 = 0.4303.
    const half = wilsonInterval(1, 2);
    expect(half?.low).toBeCloseTo(0.0945, 4);
    expect(half?.high).toBeCloseTo(0.9055, 4);
  });

  it('is not zero-wide at 0/n or n/n, and stays within [0, 1]', () => {
    // 0/9: [0, z²/(n + z²)] = [0, 3.8415/12.8415].
    expect(wilsonInterval(0, 9)?.low).toBe(0);
    expect(wilsonInterval(0, 9)?.high).toBeCloseTo(0.2991, 4);
    expect(wilsonInterval(9, 9)?.low).toBeCloseTo(0.7009, 4);
    expect(wilsonInterval(9, 9)?.high).toBe(1);
    expect(wilsonInterval(1, 1)?.low).toBeCloseTo(0.2065, 4);
  });

  it('answers null when nothing was counted, and rides along with every rate', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(rate(0, 0)).toEqual({ n: 0, correct: 0, rate: null, low: null, high: null });
    expect(rate(3, 9)).toMatchObject({ n: 9, correct: 3, rate: 1 / 3 });
    expect(rate(3, 9).low).toBeCloseTo(0.1206, 4);
  });
});

describe('the exact McNemar test', () => {
  it('is twice the binomial tail of the smaller discordant count (hand-computed)', () => {
    expect(mcnemarExact(5, 0)).toBeCloseTo(2 / 32, 12);
    // n = 12, P(X <= 2) = (1 + 12 + 66) / 4096.
    expect(mcnemarExact(10, 2)).toBeCloseTo((2 * 79) / 4096, 12);
    expect(mcnemarExact(2, 10)).toBeCloseTo((2 * 79) / 4096, 12);
    // n = 19, P(X <= 2) = (1 + 19 + 171) / 2^19.
    expect(mcnemarExact(17, 2)).toBeCloseTo((2 * 191) / 524288, 12);
  });

  it('is 1 without discordant pairs or when they balance, and does not underflow on thousands', () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(4, 4)).toBe(1);
    expect(mcnemarExact(3000, 2900)).toBeGreaterThan(0.1);
    expect(mcnemarExact(3000, 2500)).toBeLessThan(1e-9);
  });
});
