/** mulberry32: a tiny seeded PRNG, so that splits are the same on every machine and run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Stratified split: per class, a seeded shuffle, then `fraction` of its examples (rounded, at least
 * one) go to validation; a class with fewer than `minForValidation` examples stays whole in training,
 * since its only photos are worth more for learning than for a one-photo measurement.
 * Returns the validation flag per example; the order of `classes` is the order of the examples.
 */
export function stratifiedSplit(
  classes: readonly number[],
  options: { fraction: number; seed: number; minForValidation?: number; keys: readonly string[] },
): boolean[] {
  const random = seededRandom(options.seed);
  const byClass = new Map<number, number[]>();
  for (const [i, c] of classes.entries()) byClass.set(c, [...(byClass.get(c) ?? []), i]);
  const validation = classes.map(() => false);
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    // Sorted by key (the image hash) first: the split must not depend on the listing order of a folder.
    const members = (byClass.get(c) ?? []).sort((a, b) =>
      (options.keys[a] ?? '') < (options.keys[b] ?? '') ? -1 : 1,
    );
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j] as number, members[i] as number];
    }
    if (members.length < (options.minForValidation ?? 3)) continue;
    const count = Math.max(1, Math.round(members.length * options.fraction));
    for (const i of members.slice(0, count)) validation[i] = true;
  }
  return validation;
}
