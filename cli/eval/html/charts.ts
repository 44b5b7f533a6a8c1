import type { BreedAccuracy } from '../accuracy.js';
import type { ReliabilityBin } from '../calibration.js';
import { figure, line, ms, pct, rect, text } from './svg.js';

/** Accuracy against confidence per bin, with the diagonal a calibrated model would follow. */
export function reliabilityDiagram(bins: readonly ReliabilityBin[], ece: number | null): string {
  const size = 300;
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
    const width = (bin.upper - bin.lower) * size;
    const tip = `confidence ${pct(bin.lower, 0)}–${pct(bin.upper, 0)}: ${bin.n} photos, accuracy ${pct(bin.accuracy)}, mean confidence ${pct(bin.confidence)}`;
    parts.push(rect(x(bin.lower) + 1, y(bin.accuracy), width - 2, bin.accuracy * size, 'bar', tip));
    // The gap between what the model claimed and what it achieved, drawn over the bar.
    const high = Math.max(bin.accuracy, bin.confidence);
    const low = Math.min(bin.accuracy, bin.confidence);
    parts.push(rect(x(bin.lower) + 1, y(high), width - 2, (high - low) * size, 'gap'));
    parts.push(
      text(x(bin.lower) + width / 2, y(high) - 4, bin.n, { class: 'count', 'text-anchor': 'middle' }),
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
    text(x(0) + 22, y(1) + 31, 'accuracy', { class: 'tick' }),
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

/** One bar per true breed; breeds the model has no label for are listed without a bar. */
export function breedBars(breeds: readonly BreedAccuracy[]): string {
  const rowHeight = 18;
  const labelWidth = 200;
  const barWidth = 320;
  const sorted = [...breeds].sort(
    (a, b) => (b.accuracy ?? -1) - (a.accuracy ?? -1) || a.breed.localeCompare(b.breed),
  );
  const parts: string[] = [];
  sorted.forEach((b, i) => {
    const y = 8 + i * rowHeight;
    parts.push(text(labelWidth - 8, y + 12, b.breed, { class: 'tick', 'text-anchor': 'end' }));
    parts.push(rect(labelWidth, y + 2, barWidth, rowHeight - 5, 'track'));
    if (b.accuracy === null) {
      parts.push(text(labelWidth + 6, y + 12, `not a model label (${b.n} photos)`, { class: 'muted' }));
      return;
    }
    const tip = `${b.breed}: ${b.correct}/${b.n} right, ${b.top5}/${b.n} in the top 5`;
    parts.push(
      rect(labelWidth, y + 2, b.accuracy * barWidth, rowHeight - 5, `bar ${b.species ?? 'unknown'}`, tip),
    );
    parts.push(text(labelWidth + barWidth + 6, y + 12, `${b.correct}/${b.n}`, { class: 'tick' }));
  });
  const height = 16 + sorted.length * rowHeight;
  return figure('per-breed', 'Top-1 accuracy per breed', labelWidth + barWidth + 60, height, parts.join(''));
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
    parts.push(
      text(x(value) + 3, top - 8 + (name === 'p95' ? 12 : 0), `${name} ${ms(value)}`, { class: 'label' }),
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

/** Two shares side by side: non-pets given a breed, pets refused. */
export function notPetBars(nonPetsAccepted: number | null, petsRefused: number | null): string {
  const rows: [string, number | null][] = [
    ['non-pets given a breed', nonPetsAccepted],
    ['pets refused as "not a pet"', petsRefused],
  ];
  const parts = rows.flatMap(([label, share], i) => {
    const y = 8 + i * 26;
    return [
      text(212, y + 14, label, { class: 'tick', 'text-anchor': 'end' }),
      rect(220, y + 2, 300, 18, 'track'),
      rect(220, y + 2, (share ?? 0) * 300, 18, 'bar error'),
      text(526, y + 15, pct(share), { class: 'tick' }),
    ];
  });
  return figure('not-pet', 'Not-a-pet error rates', 580, 64, parts.join(''));
}
