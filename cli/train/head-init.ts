import type { BaseClassifier } from './backbone.js';
import type { HeadInit } from './head.js';

/**
 * The head's starting point: for a label the backbone's classifier already knows (an Oxford breed that
 * is also an ImageNet class), its column of that classifier, so the head starts out answering like
 * the backbone; other labels start at zero and are learnt from the photos alone.
 */
export function initialHead(
  featureSize: number,
  baseClass: readonly (number | undefined)[],
  classifier: BaseClassifier | undefined,
): HeadInit {
  const classes = baseClass.length;
  const kernel = new Float32Array(featureSize * classes);
  const bias = new Float32Array(classes);
  const anchored = baseClass.map(
    (c) => c !== undefined && classifier !== undefined && c < classifier.classes,
  );
  if (classifier) {
    baseClass.forEach((c, label) => {
      if (c === undefined || !anchored[label]) return;
      for (let i = 0; i < featureSize; i++)
        kernel[i * classes + label] = classifier.kernel[i * classifier.classes + c] ?? 0;
      bias[label] = classifier.bias[c] ?? 0;
    });
  }
  return { kernel, bias, featureSize, classes, anchored };
}

/**
 * Loss weight per class, proportional to count^-power and normalised to a mean of 1 per example: with
 * 190 photos of some breeds and 1 of others, unweighted training would learn to never say the rare ones.
 */
export function classWeights(counts: readonly number[], power: number): Float32Array {
  const raw = counts.map((n) => (n > 0 ? n ** -power : 0));
  const total = counts.reduce((sum, n) => sum + n, 0);
  const weighted = counts.reduce((sum, n, i) => sum + n * (raw[i] ?? 0), 0);
  return Float32Array.from(raw, (w) => (weighted > 0 ? (w * total) / weighted : 0));
}
