import type { ReliabilityBin } from '../calibration.js';
import { ms, pct } from '../format.js';
import { figure, line, rect, text } from './svg.js';

/**
 * Accuracy against confidence per bin, with the diagonal a calibrated model would follow. A bar's width
 * is its bin's count over the fullest bin's, so a bin of one photo cannot look like one of hundreds.
 */
export function reliabilityDiagram(bins: readonly ReliabilityBin[], ece: number | null): string {
  const size = 300;
  const fullest = Math.max(1, ...bins.map((b) => b.n));
  const left = 48;
  const top = 16;
  const x = (v: number) => left + v * size;
  const y = (v: number) => top + (1 - v) * size;
  const parts: string[] = [];
  for (let t = 0; t <= 10; t += 2) {
    const v = t / 10;
    parts.push(
      line(x(0), y(v), x(1), y(v), 'grid'),
      text(x(0) - 6, y(v) + 4, v.toFixed(1), { class: 'tick', 'text-anchor': 'end' }),
    );
    parts.push(text(x(v), y(0) + 16, v.toFixed(1), { class: 'tick', 'text-anchor': 'middle' }));
  }
  for (const bin of bins) {
    if (bin.accuracy === null || bin.confidence === null) continue;
    const slot = (bin.upper - bin.lower) * size;
    const width = Math.max(2, ((slot - 2) * bin.n) / fullest);
    const barLeft = x(bin.lower) + (slot - width) / 2;
    const tip = `confidence ${pct(bin.lower, 0)}–${pct(bin.upper, 0)}: ${bin.n} photos, accuracy ${pct(bin.accuracy)}, mean confidence ${pct(bin.confidence)}`;
    parts.push(rect(barLeft, y(bin.accuracy), width, bin.accuracy * size, 'bar', tip));
    // The gap between what the model claimed and what it achieved: an outline, so that no colour mixes.
    const high = Math.max(bin.accuracy, bin.confidence);
    const low = Math.min(bin.accuracy, bin.confidence);
    parts.push(rect(barLeft, y(high), width, (high - low) * size, 'gap'));
    parts.push(
      text(x(bin.lower) + slot / 2, y(high) - 4, bin.n, { class: 'count', 'text-anchor': 'middle' }),
    );
  }
  parts.push(line(x(0), y(0), x(1), y(1), 'diagonal'));
  parts.push(line(x(0), y(0), x(1), y(0), 'axis'), line(x(0), y(0), x(0), y(1), 'axis'));
  parts.push(text(x(0.5), y(0) + 34, 'top-1 confidence', { class: 'label', 'text-anchor': 'middle' }));
  parts.push(
    text(14, y(0.5), 'accuracy', {
      class: 'label',
      'text-anchor': 'middle',
      transform: `rotate(-90 14 ${y(0.5)})`,
    }),
  );
  parts.push(text(x(0) + 8, y(1) + 14, `ECE ${pct(ece)}`, { class: 'label' }));
  parts.push(
    rect(x(0) + 8, y(1) + 22, 10, 10, 'bar'),
    text(x(0) + 22, y(1) + 31, 'accuracy (width: photos)', { class: 'tick' }),
  );
  parts.push(
    rect(x(0) + 8, y(1) + 38, 10, 10, 'gap'),
    text(x(0) + 22, y(1) + 47, 'gap to confidence', { class: 'tick' }),
  );
  return figure(
    'reliability',
    'Reliability diagram: accuracy per confidence bin',
    left + size + 16,
    top + size + 44,
    parts.join(''),
  );
}

/** Histogram of per-photo latency with the p50 and p95 marked. */
export function latencyHistogram(samples: readonly number[], p50: number | null, p95: number | null): string {
  const width = 420;
  const height = 160;
  const left = 40;
  const top = 20;
  const binCount = 20;
  const max = Math.max(...samples, 1);
  const counts = new Array<number>(binCount).fill(0);
  for (const s of samples) {
    const bin = Math.min(Math.floor((s / max) * binCount), binCount - 1);
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  const most = Math.max(...counts, 1);
  const x = (v: number) => left + (v / max) * width;
  const y = (c: number) => top + height - (c / most) * height;
  const parts: string[] = [line(left, top + height, left + width, top + height, 'axis')];
  counts.forEach((count, i) => {
    const x0 = left + (i / binCount) * width;
    const tip = `${ms((i / binCount) * max)}–${ms(((i + 1) / binCount) * max)}: ${count} photos`;
    if (count > 0)
      parts.push(rect(x0 + 1, y(count), width / binCount - 2, (count / most) * height, 'bar', tip));
  });
  for (const [name, value] of [
    ['p50', p50],
    ['p95', p95],
  ] as const) {
    if (value === null) continue;
    parts.push(line(x(value), top - 6, x(value), top + height, 'marker'));
    // Right of its marker, or left of it in the right quarter, where it would leave the figure.
    const right = value > max * 0.75;
    parts.push(
      text(x(value) + (right ? -3 : 3), top - 8 + (name === 'p95' ? 12 : 0), `${name} ${ms(value)}`, {
        class: 'label',
        'text-anchor': right ? 'end' : 'start',
      }),
    );
  }
  for (const v of [0, max / 2, max]) {
    parts.push(text(x(v), top + height + 16, ms(v), { class: 'tick', 'text-anchor': 'middle' }));
  }
  parts.push(
    text(8, top + 10, String(most), { class: 'tick' }),
    text(8, top + height, '0', { class: 'tick' }),
  );
  parts.push(text(8, top - 8, 'photos', { class: 'tick' }));
  return figure(
    'latency',
    `Latency per photo (${samples.length} photos)`,
    left + width + 40,
    top + height + 28,
    parts.join(''),
  );
}
