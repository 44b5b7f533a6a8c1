import type { Rate, Share } from './observation.js';

/** How the report writes its numbers, on the terminal and in the page alike. */
export const pct = (share: number | null | undefined, digits = 1) =>
  share === null || share === undefined ? '–' : `${(share * 100).toFixed(digits)}%`;

export const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

/** "12.1–64.6%": a share's 95 % interval. */
export const interval = (s: Share, digits = 1) =>
  s.low === null || s.high === null ? '–' : `${(s.low * 100).toFixed(digits)}–${pct(s.high, digits)}`;

/** "33.3% (3/9, 95% CI 12.1–64.6%)". */
export const rateText = (r: Rate) => `${pct(r.rate)} (${r.correct}/${r.n}, 95% CI ${interval(r)})`;

/** A difference of shares in percentage points, signed: "−13.5". */
export const points = (difference: number | null) =>
  difference === null
    ? '–'
    : `${difference > 0 ? '+' : difference < 0 ? '−' : '±'}${Math.abs(difference * 100).toFixed(1)}`;

export const pValue = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3));
