import { fetchDevToken, getModel, hasToken, predict, randomKey, savePrediction, useToken } from './api.js';
import { clearHistory, refreshHistory, thumbnails } from './history.js';

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

const LEGENDS = {
  breed: 'Top breeds: the first is the answer; pick another if it is wrong, then save',
  unsure: 'The model is unsure: pick the right breed, then save it',
};

function renderPredictions(answer) {
  // An unsure answer preselects nothing: one click must not save a guess.
  const preselect = answer.verdict === 'breed';
  const items = answer.predictions.map((p, index) => {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const radio = Object.assign(document.createElement('input'), {
      type: 'radio',
      name: 'breed',
      value: index,
      required: true,
      checked: preselect && index === 0,
    });
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
  $('predictions-legend').textContent = LEGENDS[answer.verdict] ?? LEGENDS.breed;
  const cached = answer.cached ? ' (answered from the cache)' : '';
  $('result-meta').textContent =
    `${answer.model.name} ${answer.model.version}${cached}. Image SHA-256 ${answer.imageSha256.slice(0, 16)}…`;
  // Nothing to save when the photo shows no pet.
  $('save-form').hidden = answer.predictions.length === 0;
  $('save').disabled = !preselect;
  $('save').textContent = 'Save to my history';
  hint('');
}

function hint(message) {
  $('save-hint').textContent = message;
  $('save-hint').hidden = !message;
}

function photoError(message) {
  $('photo-error').textContent = message;
  $('photo-error').hidden = !message;
}

function clearResult() {
  current = null;
  $('save-form').hidden = true;
  $('verdict').hidden = true;
  $('result-empty').hidden = false;
}

async function choose(file) {
  if (!file) return;
  photoError('');
  $('preview-figure').hidden = true;
  const url = URL.createObjectURL(file);
  // Shown once the browser could draw it: a file that is no picture never shows a broken image.
  $('preview').onload = () => {
    $('preview-figure').hidden = false;
  };
  $('preview').src = url;
  $('preview').alt = `The photo you chose: ${file.name}`;
  $('preview-caption').textContent = file.name;
  $('result').setAttribute('aria-busy', 'true');
  say('Asking the model…');
  try {
    const answer = await predict(file);
    current = { answer, keys: new Map() };
    thumbnails.set(answer.imageSha256, url);
    showModel(answer.model);
    $('result-empty').hidden = true;
    renderVerdict(answer);
    renderPredictions(answer);
    // The verdict itself is announced by the result's live region.
    say('');
  } catch (error) {
    $('preview').onload = null;
    $('preview').removeAttribute('src');
    clearResult();
    say('');
    photoError(`${file.name}: ${error.message}`);
  } finally {
    $('result').setAttribute('aria-busy', 'false');
  }
}

async function save(event) {
  event.preventDefault();
  if (!current) return;
  const picked = new FormData($('save-form')).get('breed');
  if (picked === null) return hint('Pick the right breed first.');
  if (!hasToken()) {
    hint('Sign in first (3. Your history), then save.');
    $('user').focus();
    return;
  }
  hint('');
  const index = Number(picked);
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
        topK: answer.predictions,
      },
      keys.get(index),
    );
    $('save').textContent = 'Saved';
    say(`Saved ${chosen.breed} to your history.`);
    await refreshHistory(say);
  } catch (error) {
    $('save').disabled = false;
    hint(error.message);
  }
}

/** Signed out (the dev form or the token form, whichever this server takes) or signed in as someone. */
function showIdentity({ signedInAs, devTokens }) {
  $('signed-out').hidden = Boolean(signedInAs);
  $('signed-out').textContent = 'Not signed in: sign in to save predictions and see your history.';
  $('identity').hidden = Boolean(signedInAs) || !devTokens;
  $('token-form').hidden = Boolean(signedInAs) || devTokens;
  $('signed-in').hidden = !signedInAs;
  $('identity-status').textContent = signedInAs ?? '';
  if (!signedInAs) clearHistory();
  hint('');
}

async function signIn(event) {
  event.preventDefault();
  const user = $('user').value.trim();
  const token = await fetchDevToken(user);
  if (token === null) return showIdentity({ devTokens: false });
  useToken(token);
  showIdentity({ signedInAs: `Signed in as ${user} (a dev token: this server's embedded default only).` });
  await refreshHistory(say);
}

async function pasteToken(event) {
  event.preventDefault();
  useToken($('token').value.trim());
  showIdentity({ signedInAs: 'Signed in with the pasted token.', devTokens: false });
  await refreshHistory(say);
}

function signOut() {
  const devTokens = $('token-form').hidden;
  useToken(null);
  $('token').value = '';
  showIdentity({ devTokens });
  say('Signed out.');
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
// A breed picked: saving it is possible (again, for a correction after a save).
$('save-form').addEventListener('change', () => {
  $('save').disabled = false;
  $('save').textContent = 'Save to my history';
  hint('');
});
$('save-form').addEventListener('submit', report(save));
$('identity').addEventListener('submit', report(signIn));
$('token-form').addEventListener('submit', report(pasteToken));
$('sign-out').addEventListener('click', signOut);
acceptDrops($('drop-zone'));
getModel()
  .then(showModel)
  .catch((error) => say(`The model is not ready yet: ${error.message}`, true));
// Whether this server mints dev tokens decides which way of signing in the page offers; the probe's
// token is not used: nobody is signed in until they say who they are.
fetchDevToken('demo-user')
  .then((token) => showIdentity({ devTokens: token !== null }))
  .catch((error) => say(error.message, true));
