import { ms, pct } from './html/svg.js';
import type { EvalReport } from './report.js';

/** The headline figures for the terminal; the detail is in eval.json and eval.html. */
export function summaryLines(report: EvalReport): string[] {
  const { model: m, images: img, latencyMs: lat, notPet: np } = report;
  const lines = [
    `model ${m.name} ${m.version} (${m.backend})${m.untrained ? ' (untrained placeholder)' : ''}`,
    `photos ${img.evaluated} evaluated, ${img.scored} of breeds the model knows, ${img.failed} skipped (unreadable or refused, named on stderr)`,
    `top-1 ${pct(report.top1.rate)} (${report.top1.correct}/${report.top1.n})   top-5 ${pct(report.top5.rate)} (${report.top5.correct}/${report.top5.n})`,
    `species ${pct(report.species.rate)} (${report.species.correct}/${report.species.n})   ECE ${pct(report.calibration.ece)}`,
    `latency p50 ${ms(lat.p50)}, p95 ${ms(lat.p95)}, mean ${ms(lat.mean)} over ${lat.n} photos`,
  ];
  if (np) {
    lines.push(
      `not a pet (${np.method}): non-pets given a breed ${np.nonPets.wronglyAccepted}/${np.nonPets.n} (${pct(np.nonPets.rate)}), pets refused ${np.pets.wronglyRefused}/${np.pets.n} (${pct(np.pets.rate)})`,
    );
  }
  return [...lines, ...report.warnings.map((w) => `warning: ${w}`)];
}
