import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsEnabled, launchChromium } from '../support/chromium.js';
import {
  hasTestdata,
  mobilenetExport,
  mobilenetTeachableMetadata,
  petsDir,
  placeholderDir,
  repoRoot,
} from '../support/fixtures.js';
import { makeJpeg } from '../support/images.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

export const SCREENSHOT = path.join(repoRoot, 'test-artifacts', 'web-e2e.png');
/** The page at a phone's and a desktop's width, as docs/web-page.md shows it. */
const DOC_WIDTHS = [390, 1280] as const;
const docScreenshot = (width: number) => path.join(repoRoot, 'docs', `web-page-${width}.png`);
const freshScreenshot = (width: number) => path.join(repoRoot, 'test-artifacts', `web-page-${width}.png`);

let browser: Browser;
let tmp: string;
let generated: string;

beforeAll(async () => {
  if (!browserTestsEnabled()) return;
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pettracker-web-'));
  generated = path.join(tmp, 'generated.jpg');
  await writeFile(generated, await makeJpeg(640, 480));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function openPage(app: TestApp, width = 1000): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(`${app.url}/`);
  await page.getByText('Not signed in').waitFor();
  return { page, problems };
}

async function signIn(page: Page, user = 'demo-user') {
  await page.getByLabel('User').fill(user);
  await page.getByRole('button', { name: 'Sign in with a dev token' }).click();
  await page.getByText(`Signed in as ${user}`).waitFor();
}

/** How often `text` shows on the page, as a reader sees it. */
async function occurrences(page: Page, text: string): Promise<number> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text; a hidden element's must not count
  return (await page.locator('body').innerText()).split(text).length - 1;
}

/**
 * With the shared test data the page runs MobileNet on a real beagle photo, so the screenshot shows a
 * real prediction; without it, the placeholder model on a generated JPEG (and its "untrained" note).
 */
describe.runIf(browserTestsEnabled())('the try-it page in headless Chromium', () => {
  let app: TestApp;
  let modelDir: string | undefined;
  let photo: string;

  beforeAll(async () => {
    if (hasTestdata) {
      modelDir = await mobilenetExport(await mobilenetTeachableMetadata());
      photo = path.join(petsDir, 'beagle_10.jpg');
    } else {
      photo = generated;
    }
    app = await startTestApp(modelDir ? { MODEL_URI: modelDir } : {});
  });
  afterAll(async () => {
    await app?.close();
    if (modelDir) await rm(modelDir, { recursive: true, force: true });
  });

  it('signs nobody in before they say who they are, and signs out', async () => {
    const { page, problems } = await openPage(app);
    expect(await occurrences(page, 'Signed in')).toBe(0);
    expect(await page.locator('#identity').isVisible()).toBe(true);
    // With the dev identity there is nothing to paste.
    expect(await page.locator('#token-form').isVisible()).toBe(false);
    expect(await page.locator('#history-empty').isVisible()).toBe(false);
    await signIn(page, 'carol');
    expect(await page.locator('#identity').isVisible()).toBe(false);
    // The history loads after the sign-in shows: wait for its answer rather than race it.
    await page.locator('#history-empty').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Not signed in').waitFor();
    expect(await occurrences(page, 'Signed in')).toBe(0);
    expect(await page.locator('#history-empty').isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('uploads a photo, shows the top breeds, saves it to the history and deletes it', async () => {
    const { page, problems } = await openPage(app);
    // Found by its label, as a screen reader or a keyboard user would find it.
    await page.getByLabel('Choose a photo').setInputFiles(photo);
    const breeds = page.locator('#predictions .breed');
    await breeds.first().waitFor();
    const names = await breeds.allTextContents();
    expect(names.length).toBe(5);
    if (hasTestdata) {
      expect(names[0]).toBe('beagle');
      expect(await page.locator('#untrained-note').isVisible()).toBe(false);
    } else {
      expect(await page.locator('#untrained-note').isVisible()).toBe(true);
    }
    expect(await page.locator('#verdict').getAttribute('data-verdict')).toBe('breed');
    // The verdict is said once, in the result: the status line does not repeat it.
    expect(await occurrences(page, `Most likely ${names[0]}`)).toBe(1);
    expect(await page.locator('#status').textContent()).toBe('');
    expect(await page.locator('#result').getAttribute('aria-live')).toBe('polite');
    // A sure answer: its first breed is preselected.
    expect(await page.locator('#predictions input').first().isChecked()).toBe(true);
    expect(
      await page
        .locator('.bar > span')
        .first()
        .evaluate((e) => e.getBoundingClientRect().width),
    ).toBeGreaterThan(0);

    // Not signed in yet: the save says so beside its button and saves nothing.
    await page.getByRole('button', { name: 'Save to my history' }).click();
    await page.getByText('Sign in first').waitFor();
    await signIn(page);
    await page.getByRole('button', { name: 'Save to my history' }).click();
    const rows = page.locator('#history-rows tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(names[0]);
    // The thumbnail of a photo chosen in this session, loaded from its object URL.
    const thumbnailWidth = await rows
      .first()
      .locator('img')
      .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
    expect(thumbnailWidth).toBeGreaterThan(0);
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.getByRole('button', { name: new RegExp(`^Delete ${names[0]}`) }).click();
    await page.locator('#history-empty').waitFor({ state: 'visible' });
    expect(await page.locator('#status').textContent()).toContain('Deleted');

    const token = await app.token('demo-user');
    const list = await fetch(`${app.url}/predictions`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says beside the drop zone that a dropped or chosen file is not a photo, and shows no broken image', async () => {
    const { page, problems } = await openPage(app);
    const notes = path.join(tmp, 'notes.txt');
    await writeFile(notes, 'not a photo');
    await page.getByLabel('Choose a photo').setInputFiles(notes);
    const error = page.locator('#photo-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(
      /^notes\.txt: .*not a JPEG, PNG or WebP image.*UNSUPPORTED_MEDIA_TYPE/,
    );
    // Right under the drop zone, not at the bottom of the page.
    const zone = await page.locator('#drop-zone').boundingBox();
    const box = await error.boundingBox();
    expect((box?.y ?? 0) - ((zone?.y ?? 0) + (zone?.height ?? 0))).toBeLessThan(40);
    expect(await page.locator('#preview-figure').isVisible()).toBe(false);
    expect(await page.locator('#status').textContent()).toBe('');

    // The same file dropped on the zone.
    await page.locator('#photo-error').evaluate((e) => {
      e.textContent = '';
    });
    await page.locator('#drop-zone').evaluate((zone) => {
      // The browser's own DataTransfer and DragEvent (this file is type-checked without the DOM library).
      const browser = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: File): void } };
        DragEvent: new (type: string, init: object) => Event;
      };
      const data = new browser.DataTransfer();
      data.items.add(new File(['not a photo either'], 'dropped.txt', { type: 'text/plain' }));
      zone.dispatchEvent(
        new browser.DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
      );
    });
    await page.getByText(/^dropped\.txt: /).waitFor();
    expect(await page.locator('#preview-figure').isVisible()).toBe(false);
    expect(await page.locator('#save-form').isVisible()).toBe(false);
    // The browser logs the refused requests itself; nothing else may go wrong.
    expect(problems.filter((p) => !p.includes('415'))).toEqual([]);
    await page.close();
  });
});

/**
 * A model that is unsure of everything: the placeholder with a high `unsureBelow`. Its answers are
 * the same on every machine, so the screenshots in docs/ come from here, with no shared photo.
 */
describe.runIf(browserTestsEnabled())('the page on a phone and on a desktop', () => {
  let app: TestApp;
  let modelDir: string;

  beforeAll(async () => {
    modelDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-unsure-'));
    for (const file of ['model.json', 'weights.bin'])
      await copyFile(path.join(placeholderDir, file), path.join(modelDir, file));
    const metadata = JSON.parse(await readFile(path.join(placeholderDir, 'metadata.json'), 'utf8'));
    await writeFile(path.join(modelDir, 'metadata.json'), JSON.stringify({ ...metadata, unsureBelow: 0.5 }));
    app = await startTestApp({ MODEL_URI: modelDir });
  });
  afterAll(async () => {
    await app?.close();
    if (modelDir) await rm(modelDir, { recursive: true, force: true });
  });

  for (const width of [320, 390, 768, 1280]) {
    it(`fits ${width} px with no sideways scroll, shows the bars, and makes the reader pick when unsure`, async () => {
      const { page, problems } = await openPage(app, width);
      await signIn(page, `user-${width}`);
      await page.getByLabel('Choose a photo').setInputFiles(generated);
      await page.locator('#predictions .breed').first().waitFor();
      expect(await page.locator('#verdict').getAttribute('data-verdict')).toBe('unsure');
      expect(await occurrences(page, 'The model is unsure of the breed.')).toBe(1);
      // Nothing preselected: one click cannot save a guess.
      expect(await page.locator('#predictions input:checked').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Save to my history' }).isDisabled()).toBe(true);
      for (const bar of await page.locator('.bar').all()) {
        const [track, fill] = await bar.evaluate((e) => [
          e.getBoundingClientRect().width,
          e.firstElementChild?.getBoundingClientRect().width ?? 0,
        ]);
        expect(track).toBeGreaterThan(width < 640 ? 150 : 100);
        expect(fill).toBeGreaterThan(0);
      }

      const second = (await page.locator('#predictions .breed').nth(1).textContent()) as string;
      await page.locator('#predictions input').nth(1).check();
      await page.getByRole('button', { name: 'Save to my history' }).click();
      await page.locator('#history-rows tr').first().waitFor();
      expect(await page.locator('#history-rows tr').first().textContent()).toContain(second);
      expect(await page.locator('#history-rows tr').first().textContent()).toContain('corrected');

      const overflow = await page
        .locator('html')
        .evaluate((root) => ({ scroll: root.scrollWidth, client: root.clientWidth }));
      expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
      if ((DOC_WIDTHS as readonly number[]).includes(width)) {
        await mkdir(path.dirname(freshScreenshot(width)), { recursive: true });
        await page.screenshot({ path: freshScreenshot(width), fullPage: true });
        // `PETTRACKER_UPDATE_SCREENSHOTS=1 npx vitest run test/browser/web-page.integration.test.ts`
        if (process.env.PETTRACKER_UPDATE_SCREENSHOTS)
          await copyFile(freshScreenshot(width), docScreenshot(width));
      }
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('has screenshots in docs/ at 390 and 1280 px of the page as it is now', async () => {
    for (const width of DOC_WIDTHS) {
      const docs = await sharp(docScreenshot(width)).metadata();
      const fresh = await sharp(freshScreenshot(width)).metadata();
      expect(docs.width, `${width}`).toBe(width);
      // The same page in the same state: a screenshot of an older layout differs in height.
      expect(Math.abs((docs.height ?? 0) - (fresh.height ?? 0)), `${width}`).toBeLessThan(
        (fresh.height ?? 0) * 0.1,
      );
    }
  });
});
