import type { Embedded } from './embed.js';
import type { View } from './views.js';

/** Rows of features stacked into one matrix with their labels, ready for the head. */
export interface FeatureMatrix {
  features: Float32Array;
  labels: Int32Array;
}

/** Every requested view of the chosen examples, in example order then view order. */
export function stackFeatures(
  embedded: readonly Embedded[],
  labels: readonly number[],
  chosen: readonly number[],
  views: readonly View[],
  featureSize: number,
): FeatureMatrix {
  const rows: { vector: Float32Array; label: number }[] = [];
  for (const i of chosen) {
    for (const view of views) {
      const vector = embedded[i]?.views.get(view);
      if (vector) rows.push({ vector, label: labels[i] ?? -1 });
    }
  }
  const features = new Float32Array(rows.length * featureSize);
  for (const [r, row] of rows.entries()) features.set(row.vector, r * featureSize);
  return { features, labels: Int32Array.from(rows, (row) => row.label) };
}
