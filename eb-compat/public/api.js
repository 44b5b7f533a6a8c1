// The page's only contact with the server: the same JSON API the mobile app uses, plus the dev-only
// token endpoint. The token lives in this module's memory, never in storage.

let token = null;

export class ApiError extends Error {
  constructor(status, body) {
    const error = body?.error;
    super(error ? `${error.message} (${error.code})` : `The server answered ${status}.`);
    this.status = status;
    this.code = error?.code;
  }
}

async function call(method, path, { body, headers = {}, auth = false } = {}) {
  const allHeaders = { ...headers };
  if (auth) {
    if (!token) throw new ApiError(401, { error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } });
    allHeaders.authorization = `Bearer ${token}`;
  }
  const response = await fetch(path, { method, headers: allHeaders, body });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

export const getModel = () => call('GET', 'model');

/** The raw file as the body: the server reads the type from the bytes and checks the declared one. */
export const predict = (file) =>
  call('POST', 'predict?topK=5', {
    body: file,
    headers: { 'content-type': file.type || 'application/octet-stream' },
  });

export const savePrediction = (prediction, idempotencyKey) =>
  call('POST', 'predictions', {
    auth: true,
    body: JSON.stringify(prediction),
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
  });

export const listPredictions = () => call('GET', 'predictions?limit=50', { auth: true });

export const deletePrediction = (id) =>
  call('DELETE', `predictions/${encodeURIComponent(id)}`, { auth: true });

/** A dev token for `user`, or null when the server has no dev identity (a real identity provider). */
export async function fetchDevToken(user) {
  try {
    return (await call('GET', `dev/token?user=${encodeURIComponent(user)}`)).token;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export function useToken(value) {
  token = value || null;
}

export const hasToken = () => token !== null;

/** Random hex, also outside a secure context (a LAN address over http), where randomUUID is missing. */
export function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
