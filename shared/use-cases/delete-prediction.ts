import type { Core } from '../core.js';
import { NotFoundError } from '../errors.js';
import { isUuid } from '../list-cursor.js';
import type { Caller } from '../ports/identity.js';

/** Someone else's id answers exactly like a missing one, so ids reveal nothing. */
export async function deletePrediction(core: Core, caller: Caller, id: string): Promise<void> {
  if (!isUuid(id) || !(await core.store.delete(caller.userId, id))) {
    throw new NotFoundError('No such prediction in your history.');
  }
}
