import { pathToFileURL } from 'node:url';
import type { PhotoAnswer } from '../answer.js';
import { pct } from '../format.js';
import { esc } from './svg.js';

/** More than this many photos in a list are counted, not shown: eval.json holds them all. */
export const SHOWN_PHOTOS = 100;

/**
 * The photo itself, by its file:// URL (the page references the evaluated folder, it copies nothing);
 * a photo whose name has no string form gets an empty frame.
 */
function thumbnail(answer: PhotoAnswer): string {
  if (answer.file === null) return '<span class="thumb"></span>';
  return `<img class="thumb" src="${esc(pathToFileURL(answer.file).href)}" alt="" loading="lazy">`;
}

function answerText(answer: PhotoAnswer): string {
  if (answer.isPet === false || answer.top5.length === 0) return 'refused: not a pet';
  return answer.top5
    .slice(0, 3)
    .map((p) => `${esc(p.label)} ${pct(p.confidence, 0)}`)
    .join(' · ');
}

function item(answer: PhotoAnswer): string {
  const truth = answer.breed === null ? '' : `<span>true: ${esc(answer.breed)}</span>`;
  const verdict =
    answer.verdict === null || answer.verdict === 'not-a-pet'
      ? ''
      : `<span>verdict: ${esc(answer.verdict)}</span>`;
  return `<li>${thumbnail(answer)}<div><b>${esc(answer.name)}</b>${truth}<span>${answerText(answer)}</span>${verdict}</div></li>`;
}

/** A list of photos with their answers, or a line saying there is none. */
export function photoList(id: string, answers: readonly PhotoAnswer[], none: string): string {
  if (answers.length === 0) return `<p class="meta" id="${esc(id)}">${esc(none)}</p>`;
  const more =
    answers.length > SHOWN_PHOTOS
      ? `<p class="meta">and ${answers.length - SHOWN_PHOTOS} more in eval.json.</p>`
      : '';
  return `<ul class="photos" id="${esc(id)}">${answers.slice(0, SHOWN_PHOTOS).map(item).join('')}</ul>${more}`;
}

/** Wrong top-1 answers, the most confident first: those are the ones a user would believe. */
export function wrongAnswers(predictions: readonly PhotoAnswer[]): PhotoAnswer[] {
  return predictions
    .filter((p) => p.top1Correct === false)
    .sort((a, b) => (b.top5[0]?.confidence ?? -1) - (a.top5[0]?.confidence ?? -1));
}
