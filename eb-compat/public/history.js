import { deletePrediction, listPredictions } from './api.js';

const $ = (id) => document.getElementById(id);

/** Object URLs of photos chosen in this session, by SHA-256: the server keeps hashes, not images. */
export const thumbnails = new Map();

const percent = (x) => `${(x * 100).toFixed(1)}%`;

function cell(row, content, className) {
  const td = document.createElement('td');
  td.className = className;
  if (typeof content === 'string') td.textContent = content;
  else td.append(content);
  row.append(td);
  return td;
}

function photoCell(row, item) {
  const url = thumbnails.get(item.imageSha256);
  if (url) {
    const img = document.createElement('img');
    img.src = url;
    img.alt = `Photo saved as ${item.breed}`;
    return cell(row, img, 'photo');
  }
  const code = document.createElement('code');
  code.textContent = item.imageSha256.slice(0, 12);
  code.title = `SHA-256 ${item.imageSha256}`;
  return cell(row, code, 'photo');
}

function renderRow(item, onChange) {
  const row = document.createElement('tr');
  row.dataset.id = item.id;
  photoCell(row, item);
  cell(row, item.breed, 'breed');
  cell(row, percent(item.confidence), 'confidence');
  cell(row, item.source === 'model' ? 'model' : 'corrected', 'source');
  const time = document.createElement('time');
  time.dateTime = item.createdAt;
  time.textContent = new Date(item.createdAt).toLocaleString(undefined, {
    dateStyle: 'short',
    timeStyle: 'short',
  });
  cell(row, time, 'saved');
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'secondary';
  remove.textContent = 'Delete';
  remove.setAttribute('aria-label', `Delete ${item.breed}, saved ${time.textContent}`);
  remove.addEventListener('click', async () => {
    remove.disabled = true;
    try {
      await deletePrediction(item.id);
      row.remove();
      onChange(`Deleted ${item.breed} from your history.`);
      // The button is gone: keep keyboard users in the section instead of at the top of the page.
      $('history-heading').focus();
    } catch (error) {
      remove.disabled = false;
      onChange(error.message, true);
    }
    showEmptyState();
  });
  cell(row, remove, 'actions');
  return row;
}

function showEmptyState() {
  const empty = $('history-rows').children.length === 0;
  $('history').hidden = empty;
  $('history-empty').hidden = !empty;
}

/** Signed out: no history to show. */
export function clearHistory() {
  $('history-rows').replaceChildren();
  $('history').hidden = true;
  $('history-empty').hidden = true;
}

/** Reloads the signed-in user's newest 50 predictions. */
export async function refreshHistory(onChange) {
  const page = await listPredictions();
  $('history-rows').replaceChildren(...page.items.map((item) => renderRow(item, onChange)));
  showEmptyState();
}
