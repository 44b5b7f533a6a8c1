import { describe, expect, it } from 'vitest';
import type { EvalModel } from '../../../cli/eval/eval-model.js';
import { renderHtml } from '../../../cli/eval/html/page.js';
import { buildReport } from '../../../cli/eval/report.js';
import { summaryLines } from '../../../cli/eval/summary.js';
import { obs } from './observations.js';

const model: EvalModel = {
  info: {
    name: 'test-model',
    version: 'v1',
    format: 'layers',
    labels: ['beagle', 'pug', 'Persian'],
    inputSize: [224, 224],
    preprocessing: { resize: 'center-crop', scale: 2, offset: -1 },
    untrained: false,
    backend: 'cpu',
    source: '/models/test',
  },
  labelSpecies: ['dog', 'dog', 'cat'],
  hasGate: true,
  predict: () => Promise.reject(new Error('not used: the report is built from observations')),
  close: async () => {},
};

const hostile = '<script>alert(1)</script>';

function report(withNonPets: boolean) {
  return buildReport({
    folder: '/photos',
    csv: undefined,
    from: { csv: 0, folder: 1, name: 3, none: 0 },
    model,
    pets: {
      observations: [
        obs({ name: 'a.jpg', latencyMs: 20 }),
        obs({ name: 'b.jpg', breed: 'pug', targets: ['pug'], top: ['beagle', 'pug'], latencyMs: 30 }),
        obs({
          name: 'c.jpg',
          breed: hostile,
          species: 'cat',
          targets: [],
          top: ['Persian'],
          predictedSpecies: 'cat',
        }),
        obs({ name: 'd.jpg', latencyMs: undefined }), // a duplicate served from the cache
      ],
      failures: [{ name: 'bad.jpg', code: 'CORRUPT_IMAGE', message: 'truncated' }],
    },
    ...(withNonPets
      ? {
          nonPets: {
            folder: '/things',
            run: { observations: [obs({ breed: undefined, predictedSpecies: null })], failures: [] },
          },
        }
      : {}),
    warnings: [],
  });
}

describe('eval.json', () => {
  it('has the headline figures, per-breed counts, calibration bins and latency without cache hits', () => {
    const r = report(false);
    expect(r.schema).toBe('pettracker-eval/1');
    expect(r.model).toEqual({
      name: 'test-model',
      version: 'v1',
      format: 'layers',
      backend: 'cpu',
      source: '/models/test',
      labelCount: 3,
      untrained: false,
    });
    expect(r.images).toEqual({
      found: 5,
      evaluated: 4,
      failed: 1,
      unlabelled: 0,
      scored: 3,
      breedNotInModel: 1,
    });
    expect(r.top1).toEqual({ n: 3, correct: 2, rate: 2 / 3 });
    expect(r.top5).toEqual({ n: 3, correct: 3, rate: 1 });
    expect(r.species).toMatchObject({ n: 4, correct: 4, matrix: { cat: { cat: 1 }, dog: { dog: 3 } } });
    expect(r.perBreed.map((b) => [b.breed, b.n, b.correct])).toEqual([
      [hostile, 1, 0],
      ['beagle', 2, 2],
      ['pug', 1, 0],
    ]);
    expect(r.confusedPairs).toEqual([{ truth: 'pug', predicted: 'beagle', count: 1, share: 1 }]);
    expect(r.calibration).toMatchObject({ n: 3, binCount: 10 });
    expect(r.calibration.bins).toHaveLength(10);
    expect(r.latencyMs).toMatchObject({ n: 3, p50: 20, backend: 'cpu', samples: [20, 30, 10] });
    expect(r.notPet).toBeNull();
    expect(r.failures).toEqual([{ name: 'bad.jpg', code: 'CORRUPT_IMAGE', message: 'truncated' }]);
    expect(r.predictions[1]).toMatchObject({
      name: 'b.jpg',
      breed: 'pug',
      top1Correct: false,
      latencyMs: 30,
    });
    expect(r.predictions[2]?.top1Correct).toBeNull();
  });

  it('adds the not-a-pet rates when non-pets were given', () => {
    expect(report(true).notPet).toMatchObject({
      method: 'top1-species',
      folder: '/things',
      nonPets: { n: 1, wronglyAccepted: 0 },
      pets: { n: 4, wronglyRefused: 0 },
    });
  });
});

describe('eval.html', () => {
  const html = renderHtml(report(true));

  it('draws the reliability diagram, per-breed bars, latency histogram and not-a-pet bars as inline SVG', () => {
    for (const id of ['reliability', 'per-breed', 'latency', 'not-pet']) {
      expect(html).toMatch(new RegExp(`<svg id="${id}" class="plot" role="img"[^>]*>.*?<rect`, 's'));
    }
    expect(html).toContain('<table id="confused-pairs">');
    expect(html).toContain('<table id="species">');
    expect(html).toContain('66.7%'); // top-1
  });

  it('is self-contained and strict: no script, no external URL, a CSP that forbids both', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<img|<link|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('escapes names taken from folders and files', () => {
    expect(html).not.toContain(hostile);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('prints the headline figures for the terminal', () => {
    const lines = summaryLines(report(true)).join('\n');
    expect(lines).toContain('top-1 66.7% (2/3)   top-5 100.0% (3/3)');
    expect(lines).toContain('non-pets given a breed 0/1 (0.0%), pets refused 0/4 (0.0%)');
  });
});
