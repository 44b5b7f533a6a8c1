import { fetchDevToken, getModel, predict, randomKey, savePrediction, useToken } from './api.js';
import { refreshHistory, thumbnails } from './history.js';

const $ = (id) => document.getElementById(id);
const percent = (x) => `${(x * 100).toFixed(1)}%`;

/** The latest answer of /predict, and one Idempotency-Key per breed, so a retried save is not a second row. */
let current = null;

function say(message, isError = false) {
  $('status').textContent = message;
  $('status').classList.toggle('error', isError);
}

function showModel(model) {
  $('model-info').textContent = `Model: ${model.name}, version ${model.version}.`;
  $('untrained-note').hidden = !model.untrained;
}

const SPECIES = { dog: 'a dog', cat: 'a cat' };

/** What the answer means, in words: the species, and whether the model is sure or sees no pet at all. */
function verdictText(answer) {
  if (answer.verdict === 'not-a-pet')
    return 'This does not look like a cat or a dog, so the model names no breed.';
  const top = answer.predictions[0];
  const species = SPECIES[answer.species] ? `This looks like ${SPECIES[answer.species]}. ` : '';
  const unsure = answer.verdict === 'unsure' ? 'The model is unsure of the breed. ' : '';
  return `${species}${unsure}${top ? `Most likely ${top.breed}, ${percent(top.confidence)}.` : 'The model found no breed.'}`;
}

function renderVerdict(answer) {
  $('verdict').textContent = verdictText(answer);
  $('verdict').dataset.verdict = answer.verdict;
  $('verdict').hidden = false;
}

function renderPredictions(answer) {
  const items = answer.predictions.map((p, index) => {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const radio = Object.assign(document.createElement('input'), {
      type: 'radio',
      name: 'breed',
      value: index,
    });
    radio.checked = index === 0;
    const name = Object.assign(document.createElement('span'), { className: 'breed', textContent: p.breed });
    const bar = Object.assign(document.createElement('span'), { className: 'bar' });
    bar.setAttribute('aria-hidden', 'true');
    const fill = document.createElement('span');
    // CSSOM, not a style attribute: the page's Content-Security-Policy allows no inline styles.
    fill.style.width = percent(p.confidence);
    bar.append(fill);
    const value = Object.assign(document.createElement('span'), {
      className: 'percent',
      textContent: percent(p.confidence),
    });
    label.append(radio, name, bar, value);
    li.append(label);
    return li;
  });
  $('predictions').replaceChildren(...items);
  const cached = answer.cached ? ' (answered from the cache)' : '';
  $('result-meta').textContent =
    `${answer.model.name} ${answer.model.version}${cached}. Image SHA-256 ${answer.imageSha256.slice(0, 16)}…`;
  $('result-empty').hidden = true;
  // Nothing to save when the photo shows no pet.
  $('save-form').hidden = answer.predictions.length === 0;
  $('save').disabled = false;
  $('save').textContent = 'Save to my history';
}

async function choose(file) {
  if (!file) return;
  const url = URL.createObjectURL(file);
  $('preview').src = url;
  $('preview').alt = `The photo you chose: ${file.name}`;
  $('preview-caption').textContent = file.name;
  $('preview-figure').hidden = false;
  $('result').setAttribute('aria-busy', 'true');
  say('Asking the model…');
  try {
    const answer = await predict(file);
    current = { answer, keys: new Map() };
    thumbnails.set(answer.imageSha256, url);
    showModel(answer.model);
    renderVerdict(answer);
    renderPredictions(answer);
    say(verdictText(answer));
  } catch (error) {
    current = null;
    $('save-form').hidden = true;
    $('verdict').hidden = true;
    $('result-empty').hidden = false;
    say(error.message, true);
  } finally {
    $('result').setAttribute('aria-busy', 'false');
  }
}

async function save(event) {
  event.preventDefault();
  if (!current) return;
  const index = Number(new FormData($('save-form')).get('breed') ?? 0);
  const { answer, keys } = current;
  const chosen = answer.predictions[index];
  if (!keys.has(index)) keys.set(index, randomKey());
  $('save').disabled = true;
  try {
    await savePrediction(
      {
        breed: chosen.breed,
        confidence: chosen.confidence,
        imageSha256: answer.imageSha256,
        modelVersion: answer.model.version,
        source: index === 0 ? 'model' : 'user-corrected',
        topK: answer.predictions.map(({ breed, confidence }) => ({ breed, confidence })),
      },
      keys.get(index),
    );
    $('save').textContent = 'Saved';
    say(`Saved ${chosen.breed} to your history.`);
    await refreshHistory(say);
  } catch (error) {
    $('save').disabled = false;
    say(error.message, true);
  }
}

async function signIn(event) {
  event?.preventDefault();
  const user = $('user').value.trim();
  const token = await fetchDevToken(user);
  if (token === null) {
    // A real identity provider: this server mints nothing, the user brings a token.
    $('identity').hidden = true;
    $('token-form').hidden = false;
    $('identity-status').textContent = 'This server checks tokens from an identity provider: paste one.';
    return;
  }
  useToken(token);
  $('identity-status').textContent = `Signed in as ${user} with a dev token (embedded default only).`;
  await refreshHistory(say);
}

async function pasteToken(event) {
  event.preventDefault();
  useToken($('token').value.trim());
  $('identity-status').textContent = 'Using the pasted token.';
  await refreshHistory(say);
}

function acceptDrops(zone) {
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    choose(event.dataTransfer?.files?.[0]);
  });
}

const report = (work) => (event) => work(event).catch((error) => say(error.message, true));

$('photo').addEventListener('change', (event) => choose(event.target.files?.[0]));
$('save-form').addEventListener('submit', report(save));
$('identity').addEventListener('submit', report(signIn));
$('token-form').addEventListener('submit', report(pasteToken));
acceptDrops($('drop-zone'));
getModel()
  .then(showModel)
  .catch((error) => say(`The model is not ready yet: ${error.message}`, true));
report(signIn)();
