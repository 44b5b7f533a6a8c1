import type { FetchFile } from './model-download.js';
import { ModelLoadError } from './model-errors.js';

/** The folder URL a model.json lives in, whether the URI names the folder or the model.json itself. */
export function modelFolderUrl(uri: string): URL {
  const url = new URL(uri);
  if (url.pathname.endsWith('.json')) return new URL('./', url);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** Fetches a model's files over HTTP(S), relative to the folder of its model.json. */
export function httpFetcher(uri: string, timeoutMs = 120_000): FetchFile {
  const folder = modelFolderUrl(uri);
  return async (name) => {
    const url = new URL(name, folder);
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      throw new ModelLoadError(`${url}: request failed.`, { cause });
    }
    if (response.status === 404 || response.status === 403) {
      // Static hosts (S3 websites, GCS) answer 403 for a missing object when listing is not allowed.
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw new ModelLoadError(`${url}: HTTP ${response.status}.`);
    }
    const length = response.headers.get('content-length');
    return { body: response.body, size: length === null ? undefined : Number(length) };
  };
}
