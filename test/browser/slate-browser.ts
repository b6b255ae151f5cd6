// Browser test fixture: Debian's chromium driven by playwright-core (no browser download), screenshots under
// test-output/browser/, and helpers to sign in to Slate and wait for the delivery pipeline.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env['S3PUSH_CHROMIUM'] ?? '/usr/bin/chromium';
export const screenshotDir = join(process.cwd(), 'test-output', 'browser');

/** `false` when chromium is installed, else the skip reason; in CI a missing browser is a failure. */
export function chromiumMissing(): string | false {
  if (existsSync(chromiumPath)) return false;
  const reason = `needs ${chromiumPath} (apt-get install chromium)`;
  if (process.env['S3PUSH_REQUIRE_TOOLS'] === '1') throw new Error(`CI requires chromium: ${reason}`);
  console.log(`# skipping: ${reason}`);
  return reason;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** A fresh browser profile (own cookies) at laptop size; downloads allowed. */
export async function newContext(browser: Browser, width = 1280, height = 800): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height }, acceptDownloads: true, locale: 'en-US', timezoneId: 'UTC' });
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** The bootstrap login the server wrote to <data>/portal-login. */
export async function bootstrapLogin(dataDir: string): Promise<{ user: string; password: string }> {
  const text = await readFile(join(dataDir, 'portal-login'), 'utf8');
  const user = /^user:\s*(\S+)/m.exec(text)?.[1];
  const password = /^password:\s*(\S+)/m.exec(text)?.[1];
  if (!user || !password) throw new Error('portal-login has no user/password lines');
  return { user, password };
}

export async function signIn(page: Page, portalUrl: string, user: string, password: string): Promise<void> {
  await page.goto(`${portalUrl}/login`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}
