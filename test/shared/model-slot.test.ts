import { describe, expect, it } from 'vitest';
import { ModelSlot } from '../../shared/model-slot.js';
import type { Model } from '../../shared/ports/model.js';

const model = { info: { labels: ['Beagle', 'Bengal'], species: ['dog', 'cat'] } } as unknown as Model;

describe('the model slot', () => {
  it('answers 503 NOT_READY for the model and its labels until either is set', () => {
    const slot = new ModelSlot();
    expect(() => slot.get()).toThrow(expect.objectContaining({ code: 'NOT_READY', status: 503 }));
    expect(() => slot.labels()).toThrow(expect.objectContaining({ code: 'NOT_READY', status: 503 }));
  });

  it("gives a loaded model's labels and their species, to its views too", () => {
    const slot = new ModelSlot();
    const view = slot.view((m) => m);
    slot.set(model);
    expect(view.labels()).toEqual({ labels: ['Beagle', 'Bengal'], species: ['dog', 'cat'] });
    expect(view.get()).toBe(model);
  });

  it('holds labels read alone from the metadata: labels() answers, get() stays NOT_READY', () => {
    const slot = new ModelSlot();
    slot.setLabels({ labels: ['Beagle'], species: ['dog'] });
    expect(slot.labels()).toEqual({ labels: ['Beagle'], species: ['dog'] });
    expect(slot.ready).toBe(false);
    expect(() => slot.get()).toThrow(expect.objectContaining({ code: 'NOT_READY' }));
  });
});
