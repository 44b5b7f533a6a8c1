import { BREED_GROUPS } from '../../breed-groups.js';
import type { BreedAccuracy, WrongAnswer } from '../accuracy.js';
import { interval, pct, points, pValue } from '../format.js';
import type { Rate, Share } from '../observation.js';
import type { EvalReport } from '../report.js';
import { esc } from './svg.js';

// The wide tables (div.wide) scroll sideways in their own box on a narrow screen instead of
// pushing the page, or what stands beside them, aside.

/** A share as a bar and its 95 % interval as a line across it, both in % of the cell's track. */
export function shareBar(s: Share, kind = ''): string {
  const at = (v: number | null) => `${((v ?? 0) * 100).toFixed(1)}%`;
  const whisker =
    s.low === null || s.high === null
      ? ''
      : `<i style="left:${at(s.low)};width:${at(s.high - s.low)}" title="95% CI ${interval(s)}"></i>`;
  return `<span class="track"><b class="${kind}" style="width:${at(s.rate)}"></b>${whisker}</span>`;
}

/** Four cells: right/n, the share, its interval, and the bar. */
const rateCells = (r: Rate, kind = '') =>
  `<td class="num">${r.correct}/${r.n}</td><td class="num">${pct(r.rate)}</td><td class="num">${interval(r)}</td><td class="bar">${shareBar(r, kind)}</td>`;

const RATE_HEAD = '<th class="num">right</th><th class="num">%</th><th class="num">95% CI</th><th></th>';
const shortRate = (r: Rate) => `${r.correct}/${r.n}`;
const answerName = (answer: string | null) => answer ?? 'refused: not a pet';
const wrongText = (wrong: readonly WrongAnswer[]) =>
  wrong.map((w) => `${esc(answerName(w.answer))} ×${w.count}`).join(', ');

export function groupTable(report: EvalReport): string {
  if (report.groups.length === 0) return '';
  const rows = report.groups.map(
    (g) =>
      `<tr><th>${esc(g.title)}</th><td class="num">${g.breeds.length}</td><td class="num">${g.n}</td>${rateCells(g.top1)}<td class="num">${shortRate(g.top3)}</td><td class="num">${shortRate(g.species)}</td></tr>`,
  );
  return `<div class="wide"><table id="groups"><thead><tr><th>group</th><th class="num">breeds</th><th class="num">photos</th>${RATE_HEAD}<th class="num">top&#8209;3</th><th class="num">species</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

const groupWords = (b: BreedAccuracy) =>
  BREED_GROUPS.filter((g) => b.groups.includes(g.id))
    .map((g) => g.short)
    .join(' · ');

/** Worst first: that is where to look; breeds the model has no label for come last. */
export function breedTable(breeds: readonly BreedAccuracy[]): string {
  const sorted = [...breeds].sort(
    (a, b) =>
      (a.top1.rate ?? 2) - (b.top1.rate ?? 2) || b.top1.n - a.top1.n || a.breed.localeCompare(b.breed),
  );
  const rows = sorted.map((b) => {
    const cells =
      b.top1.n === 0
        ? `<td colspan="6" class="meta">not a model label</td>`
        : `${rateCells(b.top1, b.species ?? '')}<td class="num">${shortRate(b.top3)}</td><td>${wrongText(b.wrong)}</td>`;
    return `<tr><th>${esc(b.breed)}</th><td class="meta">${esc(groupWords(b))}</td><td class="num">${b.n}</td>${cells}</tr>`;
  });
  return `<div class="wide"><table id="per-breed"><thead><tr><th>breed</th><th>groups</th><th class="num">photos</th>${RATE_HEAD}<th class="num">top&#8209;3</th><th>answered instead</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

export function pairsTable(report: EvalReport): string {
  if (report.confusedPairs.length === 0)
    return '<p class="meta">No wrong top-1 answer among the photos the model could name.</p>';
  const rows = report.confusedPairs.map(
    (p) =>
      `<tr><td>${esc(p.truth)}</td><td>${esc(answerName(p.predicted))}</td><td class="num">${p.count}</td>` +
      `<td class="num">${pct(p.share, 0)}</td><td class="bar">${shareBar({ rate: p.share, low: null, high: null }, 'error')}</td></tr>`,
  );
  return `<table id="confused-pairs"><thead><tr><th>true breed</th><th>answered</th><th class="num">photos</th><th colspan="2">share of the breed</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function speciesTable(report: EvalReport): string {
  const m = report.species.matrix;
  const row = (truth: 'cat' | 'dog') =>
    `<tr><th>${truth}</th><td class="num">${m[truth].cat}</td><td class="num">${m[truth].dog}</td><td class="num">${m[truth].neither}</td></tr>`;
  return `<table id="species"><thead><tr><th>true / answered</th><th class="num">cat</th><th class="num">dog</th><th class="num">neither</th></tr></thead><tbody>${row('cat')}${row('dog')}</tbody></table>`;
}

export function notPetTable(np: NonNullable<EvalReport['notPet']>): string {
  const row = (label: string, count: number, s: Share & { n: number }) =>
    `<tr><th>${label}</th>${rateCells({ ...s, correct: count }, 'error')}</tr>`;
  return `<table id="not-pet-rates"><thead><tr><th></th><th class="num">photos</th><th class="num">%</th><th class="num">95% CI</th><th></th></tr></thead><tbody>${row('photos of other things given a breed', np.nonPets.wronglyAccepted, np.nonPets)}${row('pets refused as "not a pet"', np.pets.wronglyRefused, np.pets)}</tbody></table>`;
}

export function variantsTable(report: EvalReport): string {
  const variants = report.variants ?? [];
  const original = `<tr><th>the photos as they are</th><td class="num">${report.images.evaluated}</td>${rateCells(report.top1)}<td colspan="4"></td><td class="num">${shortRate(report.top3)}</td><td class="num">${shortRate(report.species)}</td><td class="num">${report.refusedPets.length}</td></tr>`;
  const rows = variants.map(
    (v) =>
      `<tr id="variant-${esc(v.id)}"><th>${esc(v.title)}</th><td class="num">${v.evaluated}</td>${rateCells(v.top1)}<td class="num">${v.paired.originalOnly}</td><td class="num">${v.paired.variantOnly}</td><td class="num">${points(v.paired.difference)}</td><td class="num">${pValue(v.paired.p)}</td><td class="num">${shortRate(v.top3)}</td><td class="num">${shortRate(v.species)}</td><td class="num">${v.petsRefused.count}</td></tr>`,
  );
  return `<div class="wide"><table id="variants"><thead><tr><th>photos</th><th class="num">n</th>${RATE_HEAD}<th class="num" title="right on the original photo only">lost</th><th class="num" title="right on the variant only">gained</th><th class="num">change, points</th><th class="num">McNemar p</th><th class="num">top&#8209;3</th><th class="num">species</th><th class="num">refused</th></tr></thead><tbody>${original}${rows.join('')}</tbody></table></div>`;
}
