import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium package; `npx playwright install` would download a browser, which CI cannot. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

// FACTS.md's flags, plus those that keep a headless run from calling home or updating itself.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Whether the browser tests run. Without chromium they skip with a message, except where the
 * environment demands every service (CI sets PETTRACKER_REQUIRE_SERVICES=1): there they run, and fail.
 */
export function browserTestsEnabled(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.PETTRACKER_REQUIRE_SERVICES) return true;
  console.warn(`${CHROMIUM_PATH} is missing (apt-get install chromium): skipping the browser tests.`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing; CI installs it with apt-get install -y chromium.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}
