import { describe, expect, it } from 'vitest';
import {
  chooseUnsureLevel,
  expectedCalibrationError,
  fitTemperature,
  meanNll,
} from '../../../cli/train/confidence.js';
import { scaledHead, softmax } from '../../../cli/train/head.js';

const item = (label: number, logits: number[]) => ({ label, logits });

describe('temperature scaling', () => {
  it('finds the T where a two-class answer is as confident as it is right: sigma(2 / T) = 3/4', () => {
    // Three right and one wrong at logits [2, 0]: the NLL is least where sigma(2/T) = 0.75, T = 2 / ln 3.
    const items = [item(0, [2, 0]), item(0, [2, 0]), item(0, [2, 0]), item(1, [2, 0])];
    expect(2 / Math.log(3)).toBeCloseTo(1.8205, 4);
    expect(fitTemperature(items)).toBe(1.82);
    expect(meanNll(items, 2 / Math.log(3))).toBeLessThan(meanNll(items, 1));
  });

  it('sharpens an under-confident head (T < 1) and leaves a calibrated one at 1', () => {
    // Always right at logits [1, 0]: the more confident the better, down to the search's floor of 1/8.
    expect(fitTemperature([item(0, [1, 0]), item(1, [0, 1])])).toBe(0.13);
    // sigma(ln 3) = 3/4 and three in four right: already calibrated.
    const calibrated = [0, 0, 0, 1].map((label) => item(label, [Math.log(3), 0]));
    expect(fitTemperature(calibrated)).toBe(1);
    expect(fitTemperature([])).toBe(1);
  });

  it('divides the head into its logits: the exported softmax is softmax(logits / T)', () => {
    const head = {
      kernel: Float32Array.from([1, -1]),
      bias: Float32Array.from([0.5, 0]),
      featureSize: 1,
      classes: 2,
    };
    const scaled = scaledHead(head, 2);
    expect([...scaled.kernel]).toEqual([0.5, -0.5]);
    expect([...scaled.bias]).toEqual([0.25, 0]);
    expect(softmax([4, 0], 2)[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
  });
});

describe('the unsure level', () => {
  const answer = (confidence: number, right: boolean, speciesAgrees = true) => ({
    confidence,
    right,
    speciesAgrees,
  });

  it('is the lowest round level at which the breed answers are right 95 % of the time', () => {
    const answers = [
      ...Array.from({ length: 19 }, () => answer(0.9, true)),
      answer(0.9, false),
      answer(0.5, false),
      answer(0.5, true),
    ];
    // From 0.55 up: 19 of 20 right (95 %); at 0.5 and below 20 of 22 (91 %).
    expect(chooseUnsureLevel(answers)).toEqual({
      level: 0.55,
      target: 0.95,
      reached: true,
      breedAnswers: 20,
      breedRight: 19,
      photos: 22,
    });
  });

  it('leaves out answers whose species contradicts the top breed: they are unsure already', () => {
    const answers = [...Array.from({ length: 19 }, () => answer(0.3, true)), answer(0.8, false, false)];
    expect(chooseUnsureLevel(answers)).toMatchObject({ level: 0.05, breedAnswers: 19, breedRight: 19 });
  });

  it('is never 0: when no level reaches the target, the highest candidate, said so', () => {
    expect(chooseUnsureLevel([answer(0.99, false), answer(0.2, true)])).toMatchObject({
      level: 0.95,
      reached: false,
      breedAnswers: 1,
      breedRight: 0,
    });
  });
});

describe('expected calibration error', () => {
  it('weighs each bin by its answers: |accuracy - confidence|', () => {
    // Bin 0.9-1.0: two at 0.95, one right (|0.5 - 0.95| = 0.45); bin 0.6-0.7: two at 0.65, both right (0.35).
    const answers = [
      { confidence: 0.95, right: true, speciesAgrees: true },
      { confidence: 0.95, right: false, speciesAgrees: true },
      { confidence: 0.65, right: true, speciesAgrees: true },
      { confidence: 0.65, right: true, speciesAgrees: true },
    ];
    expect(expectedCalibrationError(answers)).toBeCloseTo(0.5 * 0.45 + 0.5 * 0.35, 12);
  });
});
