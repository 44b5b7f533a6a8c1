import { interval, ms, pct } from '../format.js';
import type { Rate } from '../observation.js';
import type { EvalReport } from '../report.js';
import { latencyHistogram, reliabilityDiagram } from './charts.js';
import { photoList, wrongAnswers } from './photos.js';
import { esc } from './svg.js';
import { breedTable, groupTable, notPetTable, pairsTable, speciesTable, variantsTable } from './tables.js';

// No script and nothing fetched from a network: the page opens from disk, offline, and the policy says
// so. Images only from file: URLs, the evaluated photos themselves.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src file:";

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#1d2330}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.meta{color:#5b6475}.warn{background:#fff4d6;border:1px solid #e8c55d;padding:8px 12px;border-radius:6px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid #d9dee8;border-radius:8px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:24px}.card span{display:block;color:#5b6475;font-size:12px}
.grid2{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.grid2>section{flex:1 1 420px;min-width:0}
table{border-collapse:collapse;width:100%}.wide{overflow-x:auto}tbody th{min-width:9em}
td,th{padding:3px 8px;border-bottom:1px solid #e6e9f0;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}td.bar{width:22%;min-width:60px}
.track{position:relative;display:block;height:12px;margin-top:4px;background:#f1f3f7}
.track b{position:absolute;left:0;top:0;bottom:0;background:#3b76c4}.track b.cat{background:#e08a2c}.track b.error{background:#d9534f}
.track i{position:absolute;top:3px;height:6px;box-sizing:border-box;border:solid #1d2330;border-width:0 2px;background:linear-gradient(#1d2330,#1d2330) center/100% 2px no-repeat}
.plot{max-width:100%;height:auto}.plot text{font:11px system-ui,sans-serif;fill:#1d2330}.plot .muted{fill:#8a93a5}.plot .label{font-weight:600}
.plot .grid{stroke:#eef0f5}.plot .axis{stroke:#1d2330}.plot .diagonal{stroke:#8a93a5;stroke-dasharray:4 3}
.plot .bar{fill:#3b76c4}.plot .gap{fill:none;stroke:#d9534f;stroke-width:1.5}.plot .marker{stroke:#d9534f;stroke-width:1.5}
.legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
.photos{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:10px;list-style:none;padding:0}
.photos li{display:flex;gap:10px;min-width:0}.photos div{min-width:0;overflow-wrap:anywhere}.photos span{display:block;color:#5b6475}
.thumb{flex:none;width:80px;height:80px;object-fit:cover;border-radius:4px;background:#f1f3f7}
`;

function card(value: string, caption: string, detail = ''): string {
  return `<div class="card"><b>${esc(value)}</b><span>${esc(caption)}</span>${detail ? `<span>${esc(detail)}</span>` : ''}</div>`;
}

const rateCard = (name: string, r: Rate) =>
  card(pct(r.rate), `${name} (${r.correct}/${r.n})`, `95% CI ${interval(r)}`);

function notPetSection(report: EvalReport): string {
  const np = report.notPet;
  const refused = photoList('refused-pets', report.refusedPets, 'No pet photo was refused.');
  if (!np) return `<h2>Pets refused as "not a pet"</h2>${refused}`;
  const how = {
    gate: "the model's not-a-pet gate",
    'top1-species': 'whether the best label is a dog or cat label (the model has no gate)',
    none: 'nothing: the model has neither a gate nor species, so every photo gets a breed',
  }[np.method];
  const accepted = photoList(
    'accepted-non-pets',
    np.acceptedNonPets,
    'Every photo of another thing was refused.',
  );
  return `<h2>Not a pet</h2><p class="meta">${np.nonPets.n} photos of other things from ${esc(np.folder)}. Decided by ${esc(how)}.</p>${notPetTable(np)}
<h3>Pets refused as "not a pet" (${report.refusedPets.length})</h3>${refused}
<h3>Other things given a breed (${np.acceptedNonPets.length})</h3>${accepted}`;
}

function variantsSection(report: EvalReport): string {
  if (!report.variants) return '';
  return `<h2 id="robustness">Robustness: the same photos, degraded</h2>
<p class="meta">Each photo again, made smaller, grey or heavily compressed as phones and chat apps send them (EXIF orientation applied first). Lost/gained: right on only the original/only the variant; change and McNemar's exact test are over the photos scored both ways.</p>${variantsTable(report)}`;
}

/** eval.html: the report as a page with inline SVG plots, tables, and the photos that went wrong. */
export function renderHtml(report: EvalReport): string {
  const m = report.model;
  const img = report.images;
  const lat = report.latencyMs;
  const untrained = m.untrained
    ? '<p class="warn">This model is marked untrained: its answers are not predictions of anything.</p>'
    : '';
  const failures = report.failures.length
    ? `<h2>Photos that could not be read or decoded (${report.failures.length})</h2><table id="failures">${report.failures.map((f) => `<tr><td>${esc(f.name)}</td><td>${esc(f.code)}</td><td>${esc(f.message)}</td></tr>`).join('')}</table>`
    : '';
  const warnings = report.warnings.map((w) => `<p class="warn">${esc(w)}</p>`).join('');
  const wrong = wrongAnswers(report.predictions);
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
${rateCard('top-1', report.top1)}
${rateCard('top-3', report.top3)}
${rateCard('top-5', report.top5)}
${rateCard('species', report.species)}
${card(pct(report.calibration.ece), 'expected calibration error')}
${card(ms(lat.p50), `p50 latency (p95 ${ms(lat.p95)})`)}
${card(String(img.evaluated), `photos (${img.scored} of breeds the model knows)`)}
</div>
<p class="meta">Top-k counts the ${img.scored} photos whose breed is one of the model's labels; ${img.breedNotInModel} photos of other breeds count for species only${img.unlabelled ? `; ${img.unlabelled} photos had no label` : ''}${img.failed ? `; ${img.failed} could not be read or decoded` : ''}. Intervals are 95% Wilson score intervals.</p>
<h2>Per group</h2><p class="meta">A breed may be in several groups. Few-shot and data-rich need the training counts the model's metadata gives.</p>${groupTable(report)}
<div class="grid2">
<section><h2>Calibration</h2>${reliabilityDiagram(report.calibration.bins, report.calibration.ece)}
<p class="meta">Bars: share right per confidence bin, as wide as the bin's share of the photos (count above); red outline: the gap to the bin's mean confidence; dashed: perfect calibration.</p></section>
<section><h2>Latency per photo</h2>${latencyHistogram(lat.samples, lat.p50, lat.p95)}
<p class="meta">Decode, preprocessing and inference on ${esc(lat.backend)}: mean ${ms(lat.mean)}, min ${ms(lat.min)}, max ${ms(lat.max)} over ${lat.n} photos.</p></section>
</div>
<div class="grid2">
<section id="confused-panel"><h2>Most confused pairs</h2>${pairsTable(report)}</section>
<section id="species-panel"><h2>Species</h2>${speciesTable(report)}
<p class="meta">Photos per true species and the species of the answer; "neither" is a label of no pet, or a refusal.</p></section>
</div>
<h2>Per breed</h2><p class="meta legend">Worst first. Bar: top-1 share (<i style="background:#3b76c4"></i>dog<i style="background:#e08a2c"></i>cat); line: its 95% interval.</p>
${breedTable(report.perBreed)}
${notPetSection(report)}
<h2>Wrong answers, most confident first (${wrong.length})</h2>${photoList('wrong-answers', wrong, 'No wrong top-1 answer.')}
${variantsSection(report)}${failures}
</body></html>
`;
}
