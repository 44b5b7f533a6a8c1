import type { Species } from '../../shared/ports/model.js';
import { type Observation, type Share, share } from './observation.js';

/**
 * The not-a-pet verdict of a predict result: the API's `verdict` ('breed' | 'unsure' | 'not-a-pet');
 * for results of other shapes (saved eval inputs, other services) `isPet: boolean`, or
 * `notPet`/`notAPet: boolean`, or a top-level `species` that is null for "not a pet". Undefined when
 * the result carries none of them: the model has no gate.
 */
export function petVerdict(result: object): boolean | undefined {
  const r = result as Record<string, unknown>;
  if (r.verdict === 'not-a-pet') return false;
  if (r.verdict === 'breed' || r.verdict === 'unsure') return true;
  if (typeof r.isPet === 'boolean') return r.isPet;
  for (const key of ['notPet', 'notAPet']) if (typeof r[key] === 'boolean') return !r[key];
  if ('species' in r && (r.species === null || r.species === 'dog' || r.species === 'cat')) {
    return r.species !== null;
  }
  return undefined;
}

/** The species the answer gives: the result's own when it has one, else its best label's. */
export function answeredSpecies(
  result: object,
  top: { species?: Species | null } | undefined,
): Species | null | undefined {
  const own = (result as { species?: unknown }).species;
  if (own === null || own === 'dog' || own === 'cat') return own;
  return top?.species;
}

/** How the rates were decided: the model's gate, its best label's species, or neither (all accepted). */
export type GateMethod = 'gate' | 'top1-species' | 'none';

export interface NotPetRates {
  method: GateMethod;
  /** Photos of other things that got a breed anyway. */
  nonPets: Share & { n: number; wronglyAccepted: number };
  /** Pet photos refused as "not a pet". */
  pets: Share & { n: number; wronglyRefused: number };
}

export function gateMethod(observations: readonly Observation[]): GateMethod {
  if (observations.some((o) => o.isPet !== undefined)) return 'gate';
  if (observations.some((o) => o.predictedSpecies !== undefined)) return 'top1-species';
  return 'none';
}

/** Whether the answer names a pet: the gate's verdict, else a dog or cat best label, else any answer. */
export function accepted(o: Observation, method: GateMethod): boolean {
  if (o.predictions.length === 0) return false;
  if (method === 'gate') return o.isPet ?? true;
  if (method === 'top1-species') return o.predictedSpecies === 'dog' || o.predictedSpecies === 'cat';
  return true;
}

export function notPetRates(pets: readonly Observation[], nonPets: readonly Observation[]): NotPetRates {
  const method = gateMethod([...pets, ...nonPets]);
  const wronglyAccepted = nonPets.filter((o) => accepted(o, method)).length;
  const wronglyRefused = pets.filter((o) => !accepted(o, method)).length;
  return {
    method,
    nonPets: { n: nonPets.length, wronglyAccepted, ...share(wronglyAccepted, nonPets.length) },
    pets: { n: pets.length, wronglyRefused, ...share(wronglyRefused, pets.length) },
  };
}
