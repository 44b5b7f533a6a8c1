import { describe, expect, it } from 'vitest';
import type { EvalModel } from '../../../cli/eval/eval-model.js';
import { reliabilityDiagram } from '../../../cli/eval/html/charts.js';
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
  trainPhotos: new Map([
    ['beagle', 4],
    ['pug', 150],
    ['persian', 160],
  ]),
  predict: () => Promise.reject(new Error('not used: the report is built from observations')),
  close: async () => {},
};

const hostile = '<script>alert(1)</script>';

function report(withNonPets: boolean) {
  return buildReport({
    folder: '/photos',
    csv: undefined,
    from: { csv: 0, folder: 1, name: 4, none: 0 },
    model,
    pets: {
      observations: [
        obs({ name: 'a.jpg', file: '/photos/a.jpg', latencyMs: 20, isPet: true }),
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
        // A pet the gate refused: no answer at all.
        obs({ name: 'e.jpg', file: '/photos/e.jpg', top: [], isPet: false, predictedSpecies: null }),
      ],
      failures: [{ name: 'bad.jpg', code: 'CORRUPT_IMAGE', message: 'truncated' }],
    },
    ...(withNonPets
      ? {
          nonPets: {
            folder: '/things',
            run: {
              observations: [
                obs({ name: 'sofa.jpg', breed: undefined, top: [], isPet: false, predictedSpecies: null }),
                obs({
                  name: 'ball.jpg',
                  file: '/things/ball.jpg',
                  breed: undefined,
                  top: ['pug'],
                  isPet: true,
                }),
              ],
              failures: [],
            },
          },
        }
      : {}),
    warnings: [],
  });
}

describe('eval.json', () => {
  it('has the headline figures with intervals, per-breed counts, calibration bins and latency without cache hits', async () => {
    const r = await report(false);
    expect(r.schema).toBe('pettracker-eval/2');
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
      found: 6,
      evaluated: 5,
      failed: 1,
      unlabelled: 0,
      scored: 4,
      breedNotInModel: 1,
    });
    expect(r.top1).toMatchObject({ n: 4, correct: 2, rate: 0.5 });
    expect(r.top1.low).toBeCloseTo(0.15, 2); // Wilson 2/4: 15.0-85.0%
    expect(r.top1.high).toBeCloseTo(0.85, 2);
    expect(r.top3).toMatchObject({ n: 4, correct: 3 });
    expect(r.top5).toMatchObject({ n: 4, correct: 3 });
    expect(r.species).toMatchObject({
      n: 5,
      correct: 4,
      matrix: { cat: { cat: 1 }, dog: { dog: 3, neither: 1 } },
    });
    expect(r.perBreed.map((b) => [b.breed, b.n, b.top1.correct, b.groups])).toEqual([
      [hostile, 1, 0, ['cats']],
      ['beagle', 3, 2, ['dogs', 'few-shot-dogs', 'imagenet-mapped']],
      ['pug', 1, 0, ['dogs', 'data-rich-dogs', 'imagenet-mapped']],
    ]);
    expect(r.groups.map((g) => [g.id, g.n, g.top1.correct])).toEqual([
      ['cats', 1, 0],
      ['dogs', 4, 2],
      ['data-rich-dogs', 1, 0],
      ['few-shot-dogs', 3, 2],
      ['imagenet-mapped', 4, 2],
    ]);
    expect(r.confusedPairs).toEqual([
      { truth: 'beagle', predicted: null, count: 1, share: 1 / 3 },
      { truth: 'pug', predicted: 'beagle', count: 1, share: 1 },
    ]);
    expect(r.calibration).toMatchObject({ n: 3, binCount: 10 });
    expect(r.latencyMs).toMatchObject({ n: 4, p50: 15, backend: 'cpu', samples: [20, 30, 10, 10] });
    expect(r.notPet).toBeNull();
    expect(r.variants).toBeNull();
    expect(r.failures).toEqual([{ name: 'bad.jpg', code: 'CORRUPT_IMAGE', message: 'truncated' }]);
    expect(r.predictions[2]?.top1Correct).toBeNull();
  });

  it('keeps every answer: each pet, the refused pets, and each photo of another thing', async () => {
    const r = await report(true);
    expect(r.predictions.map((p) => p.name)).toEqual(['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg']);
    expect(r.predictions[1]).toMatchObject({ breed: 'pug', top1Correct: false, latencyMs: 30 });
    expect(r.refusedPets).toEqual([
      expect.objectContaining({ name: 'e.jpg', file: '/photos/e.jpg', isPet: false, top5: [] }),
    ]);
    expect(r.notPet).toMatchObject({
      method: 'gate',
      folder: '/things',
      nonPets: { n: 2, wronglyAccepted: 1, rate: 0.5 },
      pets: { n: 5, wronglyRefused: 1, rate: 0.2 },
    });
    expect(r.notPet?.answers.map((a) => [a.name, a.isPet, a.top5.map((p) => p.label)])).toEqual([
      ['sofa.jpg', false, []],
      ['ball.jpg', true, ['pug']],
    ]);
    expect(r.notPet?.acceptedNonPets).toEqual([
      expect.objectContaining({ name: 'ball.jpg', file: '/things/ball.jpg', breed: null }),
    ]);
  });
});

describe('a pet refused as "not a pet"', () => {
  it('is a confused pair with a null answer in eval.json and "refused: not a pet" in eval.html, never undefined', async () => {
    const r = await report(false);
    expect(r.confusedPairs).toContainEqual({ truth: 'beagle', predicted: null, count: 1, share: 1 / 3 });
    const pairs = /<table id="confused-pairs">.*?<\/table>/s.exec(renderHtml(r))?.[0];
    expect(pairs).toContain('<td>beagle</td><td>refused: not a pet</td>');
    expect(pairs).not.toContain('undefined');
  });
});

describe('the terminal summary', () => {
  it('calls photos it could not decode unreadable, keeping "refused" for pets refused as not a pet', async () => {
    const lines = summaryLines(await report(true));
    expect(lines).toContainEqual(
      expect.stringMatching(/^photos 5 evaluated, .*, 1 unreadable \(not evaluated/),
    );
    expect(lines.filter((l) => l.includes('refused'))).toEqual([
      expect.stringMatching(/pets refused as not a pet 1\/5 \(20\.0%\)$/),
    ]);
  });
});

describe('eval.html', async () => {
  const html = renderHtml(await report(true));

  it('has the headline with intervals, the group and breed tables, and the lists of refused and accepted photos', () => {
    expect(html).toMatch(/<svg id="reliability" class="plot" role="img"[^>]*>.*?<rect/s);
    expect(html).toMatch(/<svg id="latency" class="plot" role="img"[^>]*>.*?<rect/s);
    for (const id of ['groups', 'per-breed', 'confused-pairs', 'species', 'not-pet-rates']) {
      expect(html).toContain(`<table id="${id}">`);
    }
    expect(html).toContain('95% CI 15.0–85.0%'); // top-1, 2/4
    expect(html).toMatch(
      /<ul class="photos" id="refused-pets"><li><img class="thumb" src="file:\/\/\/photos\/e\.jpg"/,
    );
    expect(html).toMatch(
      /<ul class="photos" id="accepted-non-pets"><li><img class="thumb" src="file:\/\/\/things\/ball\.jpg"/,
    );
    expect(html).toContain('refused: not a pet');
    expect(html).not.toContain('undefined');
  });

  it('is self-contained and strict: no script, nothing from a network, images only from file: URLs', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<link|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src file:"`);
    for (const [, src] of html.matchAll(/<img[^>]* src="([^"]*)"/g)) expect(src).toMatch(/^file:\/\/\//);
  });

  it('escapes names taken from folders and files', () => {
    expect(html).not.toContain(hostile);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('prints the headline figures with their intervals and top-3 for the terminal', async () => {
    const lines = summaryLines(await report(true)).join('\n');
    expect(lines).toContain(
      'top-1 50.0% (2/4, 95% CI 15.0–85.0%)   top-3 75.0% (3/4, 95% CI 30.1–95.4%)   top-5 75.0% (3/4, 95% CI 30.1–95.4%)',
    );
    expect(lines).toContain('non-pets given a breed 1/2 (50.0%), pets refused as not a pet 1/5 (20.0%)');
  });
});

describe('the reliability diagram', () => {
  const bins = [
    { lower: 0.5, upper: 0.6, n: 1, confidence: 0.55, accuracy: 1 },
    { lower: 0.9, upper: 1, n: 3, confidence: 0.95, accuracy: 2 / 3 },
  ];
  const svg = reliabilityDiagram(bins, 0.2);
  const rects = (cls: string) =>
    [...svg.matchAll(new RegExp(`<rect class="${cls}" x="[^"]+" y="[^"]+" width="([^"]+)"`, 'g'))].map((m) =>
      Number(m[1]),
    );

  it("draws each bin's bar as wide as its share of the photos, so one photo does not look like many", () => {
    const [one, three] = rects('bar').slice(0, 2) as [number, number];
    expect(three / one).toBeCloseTo(3, 1);
  });
});
