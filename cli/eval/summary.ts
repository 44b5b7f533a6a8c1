import { ms, pct, points, pValue, rateText } from './format.js';
import type { EvalReport } from './report.js';

/** The headline figures for the terminal; the detail is in eval.json and eval.html. */
export function summaryLines(report: EvalReport): string[] {
  const { model: m, images: img, latencyMs: lat, notPet: np } = report;
  const lines = [
    `model ${m.name} ${m.version} (${m.backend})${m.untrained ? ' (untrained placeholder)' : ''}`,
    `photos ${img.evaluated} evaluated, ${img.scored} of breeds the model knows, ${img.failed} unreadable (not evaluated, named on stderr)`,
    `top-1 ${rateText(report.top1)}   top-3 ${rateText(report.top3)}   top-5 ${rateText(report.top5)}`,
    `species ${rateText(report.species)}   ECE ${pct(report.calibration.ece)}`,
    ...report.groups.map((g) => `  ${g.title}: top-1 ${rateText(g.top1)}`),
    `latency p50 ${ms(lat.p50)}, p95 ${ms(lat.p95)}, mean ${ms(lat.mean)} over ${lat.n} photos`,
  ];
  if (np) {
    lines.push(
      `not a pet (${np.method}): non-pets given a breed ${np.nonPets.wronglyAccepted}/${np.nonPets.n} (${pct(np.nonPets.rate)}), pets refused as not a pet ${np.pets.wronglyRefused}/${np.pets.n} (${pct(np.pets.rate)})`,
    );
  }
  for (const v of report.variants ?? []) {
    lines.push(
      `${v.title}: top-1 ${rateText(v.top1)}, ${points(v.paired.difference)} points on the same photos (McNemar p ${pValue(v.paired.p)})`,
    );
  }
  return [...lines, ...report.warnings.map((w) => `warning: ${w}`)];
}
