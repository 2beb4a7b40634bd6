/**
 * The console's browser tests: Debian's headless Chromium driven by playwright-core (no browser
 * download: `.ci/run` installs `chromium-headless-shell` and `fonts-noto-cjk`), signing in through
 * the development IdP's real sign-in page, with screenshots saved as artifacts and axe-core run
 * inside the page.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { REPO } from '../../infra/local/synth.ts';

/** Debian's packages, in the order tried. */
const CHROMIUM = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];
/** Where screenshots go (CI keeps them as artifacts; git ignores them). */
export const ARTIFACTS = join(REPO, 'test-artifacts/console');

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 360, height: 740 };

export async function launchChromium(): Promise<Browser> {
  const executablePath = CHROMIUM.find((path) => {
    try {
      readFileSync(path);
      return true;
    } catch {
      return false;
    }
  });
  if (!executablePath) throw new Error(`no Chromium at ${CHROMIUM.join(' or ')}: apt-get install chromium-headless-shell fonts-noto-cjk (.ci/run does)`);
  return chromium.launch({
    executablePath,
    // The machine has no network but loopback: Chromium must not try to reach Google's services.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
  });
}

export interface Agency {
  agency: string;
  jurisdiction: string;
  user?: string;
  name?: string;
}

/**
 * A browser context for one agency's clerk, signed in through the console's real flow: the
 * console sends the browser to the IdP's sign-in page, the clerk picks agency and jurisdiction,
 * the IdP sends back a code, the console exchanges it (PKCE) and shows who is signed in.
 * Fails the test on any CSP violation or uncaught page error.
 */
export async function signedIn(browser: Browser, apiUrl: string, who: Agency, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  await page.goto(`${apiUrl}/console/`);
  await page.getByLabel('机构').selectOption(who.agency);
  await page.getByLabel('辖区').selectOption(who.jurisdiction);
  await page.getByLabel('用户名').fill(who.user ?? `clerk.${who.agency}`);
  if (who.name) await page.getByLabel('显示名称').fill(who.name);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
  return { context, page, problems };
}

/** Saves the page at 1366×768 and at 360×740 (a phone), as `<name>-1366x768.png` and `<name>-360x740.png`. */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  const saved: string[] = [];
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    const path = join(ARTIFACTS, `${name}-${size.width}x${size.height}.png`);
    await page.screenshot({ path, fullPage: true });
    saved.push(path);
  }
  await page.setViewportSize(original);
  return saved;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core (WCAG 2.1 A/AA rules) in the page and fails on any serious or critical violation.
 * The script is evaluated through the DevTools protocol, which the page's CSP does not govern:
 * the CSP under test stays on.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${what}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}
