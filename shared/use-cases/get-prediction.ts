import type { Core } from '../core.js';
import { NotFoundError } from '../errors.js';
import type { Caller } from '../ports/identity.js';
import type { StoredPrediction } from '../ports/prediction-store.js';

/** One of the caller's own predictions. Someone else's id answers exactly like a missing one. */
export async function getPrediction(core: Core, caller: Caller, id: string): Promise<StoredPrediction> {
  const row = await core.store.get(caller.userId, id);
  if (!row) throw new NotFoundError('No such prediction in your history.');
  return row;
}
