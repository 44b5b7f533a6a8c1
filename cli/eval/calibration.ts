export interface ReliabilityBin {
  /** [lower, upper): the last bin also holds confidence 1. */
  lower: number;
  upper: number;
  n: number;
  /** Mean top-1 confidence and share correct in the bin; null when the bin is empty. */
  confidence: number | null;
  accuracy: number | null;
}

export interface Calibration {
  /** Expected calibration error: sum over bins of n_b / N * |accuracy_b - confidence_b|. */
  ece: number | null;
  /** Largest |accuracy_b - confidence_b| over non-empty bins. */
  mce: number | null;
  bins: ReliabilityBin[];
}

/**
 * Top-1 calibration with equal-width confidence bins (Guo et al. 2017, "On Calibration of Modern Neural
 * Networks"): a model that says 80% should be right 80% of the time.
 */
export function calibration(
  points: readonly { confidence: number; correct: boolean }[],
  binCount = 10,
): Calibration {
  const sums = Array.from({ length: binCount }, () => ({ n: 0, confidence: 0, correct: 0 }));
  for (const { confidence, correct } of points) {
    const clamped = Math.min(Math.max(confidence, 0), 1);
    const bin = sums[Math.min(Math.floor(clamped * binCount), binCount - 1)] as (typeof sums)[number];
    bin.n++;
    bin.confidence += clamped;
    if (correct) bin.correct++;
  }
  let ece = 0;
  let mce = 0;
  const bins = sums.map((s, i) => {
    const confidence = s.n === 0 ? null : s.confidence / s.n;
    const accuracy = s.n === 0 ? null : s.correct / s.n;
    if (confidence !== null && accuracy !== null) {
      ece += (s.n / points.length) * Math.abs(accuracy - confidence);
      mce = Math.max(mce, Math.abs(accuracy - confidence));
    }
    return { lower: i / binCount, upper: (i + 1) / binCount, n: s.n, confidence, accuracy };
  });
  return points.length === 0 ? { ece: null, mce: null, bins } : { ece, mce, bins };
}
