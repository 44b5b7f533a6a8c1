import type { EvalReport } from '../report.js';
import { breedBars, latencyHistogram, notPetBars, reliabilityDiagram } from './charts.js';
import { esc, ms, pct } from './svg.js';

// No script, no external resource: the page opens from disk, offline, and the policy says so.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;padding:0 16px;color:#1d2330}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.meta{color:#5b6475}.warn{background:#fff4d6;border:1px solid #e8c55d;padding:8px 12px;border-radius:6px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid #d9dee8;border-radius:8px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:24px}.card span{color:#5b6475;font-size:12px}
.grid2{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.grid2 section{flex:1 1 420px;max-width:520px}
table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #e6e9f0;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.share{display:inline-block;height:10px;background:#d9534f;vertical-align:middle}
.plot text{font:11px system-ui,sans-serif;fill:#1d2330}.plot .muted{fill:#8a93a5}.plot .label{font-weight:600}
.plot .grid{stroke:#eef0f5}.plot .axis{stroke:#1d2330}.plot .diagonal{stroke:#8a93a5;stroke-dasharray:4 3}
.plot .bar{fill:#3b76c4}.plot .bar.cat{fill:#e08a2c}.plot .bar.error{fill:#d9534f}
.plot .gap{fill:#d9534f;fill-opacity:.35}.plot .track{fill:#f1f3f7}.plot .marker{stroke:#d9534f;stroke-width:1.5}
.legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
`;

function card(value: string, caption: string): string {
  return `<div class="card"><b>${esc(value)}</b><span>${esc(caption)}</span></div>`;
}

function pairsTable(report: EvalReport): string {
  if (report.confusedPairs.length === 0)
    return '<p class="meta">No wrong top-1 answer among the photos the model could name.</p>';
  const rows = report.confusedPairs.map(
    (p) =>
      `<tr><td>${esc(p.truth)}</td><td>${esc(p.predicted)}</td><td class="num">${p.count}</td>` +
      `<td class="num">${pct(p.share, 0)}</td><td><span class="share" style="width:${Math.round(p.share * 120)}px"></span></td></tr>`,
  );
  return `<table id="confused-pairs"><thead><tr><th>true breed</th><th>answered</th><th>photos</th><th colspan="2">share of the breed</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function speciesTable(report: EvalReport): string {
  const m = report.species.matrix;
  const row = (truth: 'cat' | 'dog') =>
    `<tr><th>${truth}</th><td class="num">${m[truth].cat}</td><td class="num">${m[truth].dog}</td><td class="num">${m[truth].neither}</td></tr>`;
  return `<table id="species"><thead><tr><th>true / answered</th><th>cat</th><th>dog</th><th>neither</th></tr></thead><tbody>${row('cat')}${row('dog')}</tbody></table>`;
}

function notPetSection(report: EvalReport): string {
  const np = report.notPet;
  if (!np) return '';
  const how = {
    gate: "the model's not-a-pet gate",
    'top1-species': 'whether the best label is a dog or cat label (the model has no gate)',
    none: 'nothing: the model has neither a gate nor species, so every photo gets a breed',
  }[np.method];
  return `<h2>Not a pet</h2><p class="meta">${np.nonPets.wronglyAccepted}/${np.nonPets.n} photos of other things (${esc(np.folder)}) got a breed; ${np.pets.wronglyRefused}/${np.pets.n} pet photos were refused. Decided by ${esc(how)}.</p>${notPetBars(np.nonPets.rate, np.pets.rate)}`;
}

/** eval.html: the report as a page with inline SVG plots; it shows names and numbers, never a photo. */
export function renderHtml(report: EvalReport): string {
  const m = report.model;
  const img = report.images;
  const lat = report.latencyMs;
  const untrained = m.untrained
    ? '<p class="warn">This model is marked untrained: its answers are not predictions of anything.</p>'
    : '';
  const failures = report.failures.length
    ? `<h2>Photos refused</h2><table>${report.failures.map((f) => `<tr><td>${esc(f.name)}</td><td>${esc(f.code)}</td></tr>`).join('')}</table>`
    : '';
  const warnings = report.warnings.map((w) => `<p class="warn">${esc(w)}</p>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>pettracker eval: ${esc(m.name)} ${esc(m.version)}</title><style>${STYLE}</style></head>
<body>
<h1>Evaluation of ${esc(m.name)}</h1>
<p class="meta">version ${esc(m.version)} · ${esc(m.format)} model · ${m.labelCount} labels · backend ${esc(m.backend)} · ${esc(report.folder)} · ${esc(report.createdAt)}</p>
${untrained}${warnings}
<div class="cards" id="headline">
${card(pct(report.top1.rate), `top-1 (${report.top1.correct}/${report.top1.n})`)}
${card(pct(report.top5.rate), `top-5 (${report.top5.correct}/${report.top5.n})`)}
${card(pct(report.species.rate), `species (${report.species.correct}/${report.species.n})`)}
${card(pct(report.calibration.ece), 'expected calibration error')}
${card(ms(lat.p50), `p50 latency (p95 ${ms(lat.p95)})`)}
${card(String(img.evaluated), `photos (${img.scored} of breeds the model knows)`)}
</div>
<p class="meta">Top-1 and top-5 count the ${img.scored} photos whose breed is one of the model's labels; ${img.breedNotInModel} photos of other breeds count for species only${img.unlabelled ? `; ${img.unlabelled} photos had no label` : ''}${img.failed ? `; ${img.failed} were refused` : ''}.</p>
<div class="grid2">
<section><h2>Calibration</h2>${reliabilityDiagram(report.calibration.bins, report.calibration.ece)}
<p class="meta">Bars: share right per confidence bin (count above); red: the gap to the mean confidence; dashed: perfect calibration.</p></section>
<section><h2>Latency per photo</h2>${latencyHistogram(lat.samples, lat.p50, lat.p95)}
<p class="meta">Decode, preprocessing and inference on ${esc(lat.backend)}: mean ${ms(lat.mean)}, min ${ms(lat.min)}, max ${ms(lat.max)} over ${lat.n} photos.</p></section>
</div>
<div class="grid2">
<section><h2>Most confused pairs</h2>${pairsTable(report)}</section>
<section><h2>Species</h2>${speciesTable(report)}
<p class="meta">Photos per true species and the species of the answer; "neither" is a label of no pet, or a refusal.</p></section>
</div>
<h2>Accuracy per breed</h2><p class="meta legend">top-1, right/photos<i style="background:#3b76c4"></i>dog<i style="background:#e08a2c"></i>cat</p>
${breedBars(report.perBreed)}
${notPetSection(report)}${failures}
</body></html>
`;
}
