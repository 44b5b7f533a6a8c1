import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalModel } from '../../../../cli/eval/eval-model.js';
import { renderHtml } from '../../../../cli/eval/html/page.js';
import type { Observation } from '../../../../cli/eval/observation.js';
import { buildReport, type EvalReport } from '../../../../cli/eval/report.js';
import { VARIANTS, variantReport } from '../../../../cli/eval/variants.js';
import { browserTestsEnabled, launchChromium } from '../../../support/chromium.js';
import { hasTestdata, petsDir, placeholderDir, repoRoot, testdataDir } from '../../../support/fixtures.js';
import { makeJpeg } from '../../../support/images.js';

/** The page with every section filled, for a person to look at; test-artifacts/ is not committed. */
export const SCREENSHOT = path.join(repoRoot, 'test-artifacts', 'eval-report.png');

/** The little of the DOM these checks read in the page (the project compiles without the DOM library). */
interface Element {
  id: string;
  tagName: string;
  className: unknown;
  scrollWidth: number;
  clientWidth: number;
  naturalWidth: number;
  getBoundingClientRect(): { left: number; right: number; width: number; height: number };
  querySelectorAll(selector: string): Iterable<Element>;
  querySelector(selector: string): Element | null;
  matches(selector: string): boolean;
  getAttribute(name: string): string | null;
  decode(): Promise<void>;
}
interface Window {
  document: { documentElement: Element; querySelectorAll(selector: string): Iterable<Element> };
  getComputedStyle(element: Element): { fill: string; stroke: string; opacity: string; fillOpacity: string };
}

/**
 * A report shaped like the issue's: a breed right on 3 of 9 photos, long names confused with long
 * names, refused pets, accepted non-pets and the three variants. The thumbnails are the shared test
 * photos, referenced where they are, or generated JPEGs where they are absent.
 */
async function issueLikeReport(tmp: string): Promise<EvalReport> {
  const metadata = JSON.parse(await readFile(path.join(placeholderDir, 'metadata.json'), 'utf8')) as {
    labels: string[];
    species: ('cat' | 'dog')[];
  };
  const photo = async (dir: string, name: string) => {
    if (hasTestdata) return path.join(dir, name);
    const file = path.join(tmp, name);
    await writeFile(file, await makeJpeg(200, 150));
    return file;
  };
  const speciesOf = (label: string) => metadata.species[metadata.labels.indexOf(label)];
  const observations: Observation[] = [];
  const pet = async (breed: string, file: string, answers: (string | null)[]) => {
    for (const [i, answer] of answers.entries()) {
      observations.push({
        name: `${breed.replaceAll(' ', '_')}_${i + 1}.jpg`,
        file: await photo(petsDir, file),
        breed,
        species: speciesOf(breed),
        targets: [breed],
        predictions:
          answer === null
            ? []
            : [answer, breed, 'Boxer'].map((label, k) => ({ label, confidence: [0.91, 0.06, 0.01][k] ?? 0 })),
        verdict: answer === null ? 'not-a-pet' : 'breed',
        predictedSpecies: answer === null ? null : speciesOf(answer),
        isPet: answer !== null,
        latencyMs: 60 + i,
      });
    }
  };
  const sbt = 'Staffordshire Bull Terrier';
  await pet(sbt, 'staffordshire_bull_terrier_100.jpg', [
    sbt,
    sbt,
    sbt,
    'American Bulldog',
    'American Bulldog',
    'American Bulldog',
    'American Bulldog',
    'American Pit Bull Terrier',
    'American Pit Bull Terrier',
  ]);
  await pet('Shiba Inu', 'shiba_inu_16.jpg', [
    'Shiba Inu',
    'Shiba Inu',
    'Shiba Inu',
    'Shiba Inu',
    null,
    null,
    'Pomeranian',
    'Basset Hound',
    'Shiba Inu',
  ]);
  await pet('English Cocker Spaniel', 'english_cocker_spaniel_109.jpg', [
    'German Shorthaired',
    'English Cocker Spaniel',
    'English Cocker Spaniel',
  ]);
  await pet('Egyptian Mau', 'Egyptian_Mau_10.jpg', ['Bengal', 'Bengal', 'Egyptian Mau', 'Egyptian Mau']);
  await pet('Beagle', 'beagle_10.jpg', ['American Bulldog', 'Beagle', 'Beagle', 'Beagle']);
  const notPets = [];
  for (const [name, answer] of [
    ['n04584207_wig.jpg', 'American Bulldog'],
    ['n01440764_tench.jpg', null],
  ] as const) {
    notPets.push({
      name,
      file: await photo(path.join(testdataDir, 'not-pets'), name),
      breed: undefined,
      species: undefined,
      targets: [],
      predictions: answer ? [{ label: answer, confidence: 0.98 }] : [],
      predictedSpecies: answer ? ('dog' as const) : null,
      isPet: answer !== null,
      latencyMs: 50,
    });
  }
  const model: EvalModel = {
    info: {
      name: 'pets-model',
      version: 'sha256-test',
      format: 'layers',
      labels: metadata.labels,
      inputSize: [224, 224],
      preprocessing: { resize: 'center-crop', scale: 2, offset: -1 },
      untrained: false,
      backend: 'wasm',
      source: '/models/pets',
    },
    labelSpecies: metadata.species,
    hasGate: true,
    trainPhotos: new Map([
      ['staffordshire bull terrier', 5],
      ['shiba inu', 4],
      ['english cocker spaniel', 6],
      ['egyptian mau', 160],
      ['beagle', 6],
    ]),
    predict: () => Promise.reject(new Error('not used')),
    close: async () => {},
  };
  const report = await buildReport({
    folder: petsDir,
    csv: undefined,
    from: { csv: 0, folder: 0, name: observations.length, none: 0 },
    model,
    pets: {
      observations,
      failures: [{ name: 'broken_1.jpg', code: 'CORRUPT_IMAGE', message: 'corrupt or truncated image' }],
    },
    nonPets: { folder: path.join(testdataDir, 'not-pets'), run: { observations: notPets, failures: [] } },
    warnings: [],
  });
  // Each variant loses a different share of the right answers.
  report.variants = VARIANTS.map((variant, v) => {
    const degraded = observations.map((o, i) =>
      i % (v + 2) === 0 ? { ...o, predictions: [{ label: 'Pug', confidence: 0.5 }] } : o,
    );
    return variantReport(variant, { observations: degraded, failures: [] }, observations, 'gate');
  });
  return report;
}

describe.runIf(browserTestsEnabled())('eval.html in headless Chromium', () => {
  let tmp: string;
  let browser: Browser;
  let html: string;
  let report: EvalReport;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pettracker-eval-html-'));
    report = await issueLikeReport(tmp);
    html = path.join(tmp, 'eval.html');
    await writeFile(html, renderHtml(report));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  async function open(width: number): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => problems.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('request', (r) => {
      if (!r.url().startsWith('file://')) problems.push(`request ${r.url()}`);
    });
    await page.goto(`file://${html}`);
    return { page, problems };
  }

  const rows = (page: Page, table: string) => page.locator(`#${table} tbody tr`);

  it('shows the headline with intervals, the groups, every breed, the confusions and the variants', async () => {
    const { page, problems } = await open(1100);
    const headline = await page.locator('#headline').textContent();
    expect(headline).toContain('top-1 (15/29)');
    expect(headline).toContain('top-3 (27/29)');
    expect(headline).toContain('95% CI 34.4–68.6%');
    expect(await rows(page, 'groups').allInnerTexts()).toEqual([
      expect.stringMatching(/^cats\t1\t4\t2\/4\t50\.0%\t15\.0–85\.0%/),
      expect.stringMatching(/^dogs\t4\t25\t13\/25/),
      expect.stringMatching(/^few-shot dogs .*\t4\t25\t13\/25/),
      expect.stringMatching(/^breeds ImageNet has\t4\t20\t/),
    ]);
    expect(await rows(page, 'per-breed').count()).toBe(5);
    // Worst first: Staffordshire Bull Terrier, 3 of 9, 12.1-64.6 %.
    expect((await rows(page, 'per-breed').allInnerTexts())[0]).toMatch(
      /^Staffordshire Bull Terrier\tdog · few-shot · ImageNet\t9\t3\/9\t33\.3%\t12\.1–64\.6%\s+9\/9\tAmerican Bulldog ×4, American Pit Bull Terrier ×2$/,
    );
    expect(await rows(page, 'confused-pairs').allInnerTexts()).toContainEqual(
      expect.stringMatching(/^Shiba Inu\trefused: not a pet\t2\t22%/),
    );
    expect(await rows(page, 'variants').count()).toBe(4);
    expect(await page.locator('#variants').textContent()).toContain('downscaled to 96 px on the long side');
    expect(await page.locator('body').textContent()).not.toMatch(/undefined|NaN/);
    expect(problems).toEqual([]);
  });

  it('lists the refused pets, the accepted non-pets and the wrong answers with their thumbnails', async () => {
    const { page, problems } = await open(1100);
    expect(await page.locator('#refused-pets li').allInnerTexts()).toEqual([
      expect.stringMatching(/^Shiba_Inu_5\.jpg\ntrue: Shiba Inu\nrefused: not a pet/),
      expect.stringMatching(/^Shiba_Inu_6\.jpg\n/),
    ]);
    expect(await page.locator('#accepted-non-pets li').allInnerTexts()).toEqual([
      expect.stringMatching(/^n04584207_wig\.jpg\nAmerican Bulldog 98%/),
    ]);
    expect(await page.locator('#wrong-answers li').count()).toBe(14);
    const thumbs = page.locator('img.thumb');
    expect(await thumbs.count()).toBe(2 + 1 + 14);
    for (let i = 0; i < (await thumbs.count()); i++) await thumbs.nth(i).scrollIntoViewIfNeeded();
    const widths = await page.evaluate(() =>
      Promise.all(
        [...(globalThis as unknown as Window).document.querySelectorAll('img.thumb')].map((img) =>
          img.decode().then(
            () => img.naturalWidth,
            () => 0,
          ),
        ),
      ),
    );
    expect(widths.every((w) => w > 0)).toBe(true);
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  });

  // At the page's own width everything fits; on a narrow screen only the wide tables may scroll
  // sideways, inside their own box.
  for (const [width, scrolling] of [
    [1100, []],
    [760, ['groups', 'per-breed', 'variants']],
  ] as const) {
    it(`lets nothing overflow its panel or the page at ${width} px`, async () => {
      const { page } = await open(width);
      const found = await page.evaluate(() => {
        const escapes: string[] = [];
        const { document } = globalThis as unknown as Window;
        const panels = [...document.querySelectorAll('.grid2 > section, .wide, table, ul.photos')];
        for (const panel of panels) {
          const box = panel.getBoundingClientRect();
          for (const el of panel.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            if (panel.matches('.wide') && r.right > box.right) continue; // scrolled into view on demand
            if (r.left < box.left - 0.5 || r.right > box.right + 0.5) {
              escapes.push(
                `${el.tagName}.${el.className} in ${panel.id || panel.tagName}: ${r.left}-${r.right} outside ${box.left}-${box.right}`,
              );
            }
          }
        }
        const root = document.documentElement;
        if (root.scrollWidth > root.clientWidth)
          escapes.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
        const scrolling = [...document.querySelectorAll('.wide')]
          .filter((w) => w.scrollWidth > w.clientWidth)
          .map((w) => w.querySelector('table')?.id);
        return { escapes, scrolling };
      });
      expect(found.escapes).toEqual([]);
      for (const id of found.scrolling) expect(scrolling).toContain(id);
      // The bars of the confused pairs stay inside their panel, off the species table beside it.
      const panel = await page.locator('#confused-panel').boundingBox();
      for (const bar of await page.locator('#confused-pairs .track').all()) {
        const box = await bar.boundingBox();
        expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(
          (panel?.x ?? 0) + (panel?.width ?? 0) + 0.5,
        );
      }
    });
  }

  it('draws the reliability diagram in the colours its legend shows, each fully opaque', async () => {
    const { page } = await open(1100);
    const paints = await page.evaluate(() =>
      [...(globalThis as unknown as Window).document.querySelectorAll('#reliability rect')].map((r) => {
        const s = (globalThis as unknown as Window).getComputedStyle(r);
        return {
          cls: r.getAttribute('class'),
          fill: s.fill,
          stroke: s.stroke,
          opacity: `${s.opacity} ${s.fillOpacity}`,
        };
      }),
    );
    const legend = paints.slice(-2); // the two swatches, drawn last
    const shown = new Set(legend.map((p) => `${p.fill} ${p.stroke}`));
    for (const p of paints) {
      expect(shown.has(`${p.fill} ${p.stroke}`), JSON.stringify(p)).toBe(true);
      expect(p.opacity).toBe('1 1');
    }
  });
});
