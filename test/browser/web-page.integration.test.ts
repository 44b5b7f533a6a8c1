import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsEnabled, launchChromium } from '../support/chromium.js';
import {
  hasTestdata,
  mobilenetExport,
  mobilenetTeachableMetadata,
  petsDir,
  repoRoot,
} from '../support/fixtures.js';
import { makeJpeg } from '../support/images.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

export const SCREENSHOT = path.join(repoRoot, 'test-artifacts', 'web-e2e.png');

/**
 * With the shared test data the page runs MobileNet on a real beagle photo, so the screenshot shows a
 * real prediction; without it, the placeholder model on a generated JPEG (and its "untrained" note).
 */
describe.runIf(browserTestsEnabled())('the try-it page in headless Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let tmp: string;
  let modelDir: string | undefined;
  let photo: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pettracker-web-'));
    if (hasTestdata) {
      modelDir = await mobilenetExport(await mobilenetTeachableMetadata());
      photo = path.join(petsDir, 'beagle_10.jpg');
    } else {
      photo = path.join(tmp, 'generated.jpg');
      await writeFile(photo, await makeJpeg(640, 480));
    }
    app = await startTestApp(modelDir ? { MODEL_URI: modelDir } : {});
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    for (const dir of [tmp, modelDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function openPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${app.url}/`);
    await page.getByText('Signed in as demo-user').waitFor();
    // With the dev identity there is nothing to paste.
    expect(await page.locator('#token-form').isVisible()).toBe(false);
    return { page, problems };
  }

  it('uploads a photo, shows the top breeds, saves it to the history and deletes it', async () => {
    const { page, problems } = await openPage();
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
    expect(await page.locator('#status').textContent()).toContain(`Most likely ${names[0]}`);
    expect(await page.locator('#result').getAttribute('aria-live')).toBe('polite');
    expect(
      await page
        .locator('.bar > span')
        .first()
        .evaluate((e) => e.getBoundingClientRect().width),
    ).toBeGreaterThan(0);

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

  it('shows the API error when the file is not an image', async () => {
    const { page, problems } = await openPage();
    const notAnImage = path.join(tmp, 'notes.txt');
    await writeFile(notAnImage, 'not a photo');
    await page.getByLabel('Choose a photo').setInputFiles(notAnImage);
    await page.locator('#status.error').waitFor();
    expect(await page.locator('#status').textContent()).toContain('UNSUPPORTED_MEDIA_TYPE');
    // The browser logs the failed request itself; nothing else may go wrong.
    expect(problems.filter((p) => !p.includes('415'))).toEqual([]);
    await page.close();
  });
});
