import { calibration } from '../eval/calibration.js';
import { softmax } from './head.js';

/** One validation photo: its true label and the head's logits. */
export interface LogitsItem {
  label: number;
  logits: ArrayLike<number>;
}

/** Mean negative log-likelihood of the true labels under softmax(logits / temperature). */
export function meanNll(items: readonly LogitsItem[], temperature: number): number {
  let total = 0;
  for (const item of items) {
    const p = softmax(item.logits, temperature)[item.label] ?? 0;
    total -= Math.log(Math.max(p, 1e-300));
  }
  return total / Math.max(1, items.length);
}

/**
 * Temperature scaling (Guo et al. 2017): the one T > 0 that minimises the validation photos' negative
 * log-likelihood under softmax(logits / T). It rescales confidence and never changes the ranking.
 * Golden-section search on log T in [1/8, 16] (the NLL is unimodal in T), rounded to 0.01.
 */
export function fitTemperature(items: readonly LogitsItem[]): number {
  if (items.length === 0) return 1;
  const f = (logT: number) => meanNll(items, Math.exp(logT));
  const ratio = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(1 / 8);
  let hi = Math.log(16);
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = f(a);
  let fb = f(b);
  for (let i = 0; i < 60; i++) {
    if (fa <= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = f(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = f(b);
    }
  }
  return Math.round(Math.exp((lo + hi) / 2) * 100) / 100;
}

/** One validation answer: its top confidence, whether it was right, and whether it would say `breed`. */
export interface Answered {
  confidence: number;
  right: boolean;
  /** False when something other than the confidence already makes it unsure (species contradiction). */
  speciesAgrees: boolean;
}

export interface UnsureChoice {
  /** Top confidence below which the answer is "unsure". */
  level: number;
  /** The rate asked of `breed` verdicts on validation. */
  target: number;
  /** Whether some level reached it; when none does, the level is the highest candidate. */
  reached: boolean;
  /** Validation photos answered `breed` at this level, and the share of them right. */
  breedAnswers: number;
  breedRight: number;
  photos: number;
}

/**
 * The lowest level (0.05 to 0.95 in steps of 0.05, round so that it reads well in metadata.json) at
 * which the validation answers that would say `breed` (confidence at or above it, species agreeing)
 * are right at least `target` of the time. Never 0: a model always has a level it was chosen on.
 */
export function chooseUnsureLevel(answers: readonly Answered[], target = 0.95): UnsureChoice {
  const at = (level: number) => {
    const breed = answers.filter((a) => a.speciesAgrees && a.confidence >= level);
    return { breedAnswers: breed.length, breedRight: breed.filter((a) => a.right).length };
  };
  for (let step = 5; step <= 95; step += 5) {
    const level = step / 100;
    const counts = at(level);
    if (counts.breedAnswers > 0 && counts.breedRight / counts.breedAnswers >= target)
      return { level, target, reached: true, ...counts, photos: answers.length };
  }
  return { level: 0.95, target, reached: false, ...at(0.95), photos: answers.length };
}

/** Expected calibration error of top-1 answers, 10 equal-width bins (cli/eval/calibration.ts). */
export function expectedCalibrationError(answers: readonly Answered[]): number {
  return calibration(answers.map((a) => ({ confidence: a.confidence, correct: a.right }))).ece ?? 0;
}
