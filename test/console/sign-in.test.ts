import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { expectAccessible, launchChromium, screenshots, signedIn } from '../support/browser.ts';
import { startTestCloud } from '../support/local-cloud.ts';

/**
 * Signing in to the console in a real browser: the console sends the clerk to the development
 * IdP, the clerk picks agency and jurisdiction, the console exchanges the code (PKCE) and shows
 * who is signed in and only the screens that agency may use; signing out forgets the token.
 */
let cloud: LocalCloud;
let browser: Browser;

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: '2026-09-01T09:00:00+08:00' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

it('signs a township clerk in through the IdP and shows who is signed in, in Chinese', async () => {
  const { page, problems, context } = await signedIn(browser, cloud.apiUrl, { agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan', user: 'li.clerk', name: '李文员' });
  const header = page.locator('header.top');
  await expect.poll(() => header.textContent()).toContain('李文员');
  expect(await header.textContent()).toContain('永州市冷水滩区梅湾');
  // The token is in sessionStorage, never in the address.
  expect(page.url()).not.toMatch(/code=|token=|access_token/);
  expect(await page.evaluate(() => Object.keys(sessionStorage))).toContain('console.session');
  await expectAccessible(page, '我的待办');
  await screenshots(page, 'sign-in-township');
  await page.getByRole('button', { name: '退出登录' }).click();
  // The IdP's session ends; back at the console without a token, the clerk is asked to sign in again.
  await page.getByLabel('机构').waitFor();
  expect(await page.evaluate(() => sessionStorage.getItem('console.session'))).toBeNull();
  expect(problems).toEqual([]);
  await context.close();
});

it('is used from the keyboard alone: the skip link, then the navigation', async () => {
  const { page, problems, context } = await signedIn(browser, cloud.apiUrl, { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' });
  const focused = () => page.evaluate('document.activeElement && (document.activeElement.id || document.activeElement.textContent)');
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('跳到主要内容');
  const before = page.url();
  await page.keyboard.press('Enter');
  expect(await focused()).toBe('main');
  // It moves the focus and nothing else: the screen stays, and stays focused once it has settled.
  expect(page.url()).toBe(before);
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50)))');
  expect(await focused()).toBe('main');
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('我的待办');
  // Tab on to the navigation's 征收项目 and open it with Enter.
  for (let i = 0; i < 20 && (await focused()) !== '征收项目'; i++) await page.keyboard.press('Tab');
  expect(await focused()).toBe('征收项目');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: '征收项目' }).waitFor();
  // The new page's heading takes the focus, so a screen reader starts there.
  expect(await page.evaluate('document.activeElement && document.activeElement.tagName')).toBe('H1');
  expect(problems).toEqual([]);
  await context.close();
});

it('answers a 401 from the API by signing in again', async () => {
  const { page, context } = await signedIn(browser, cloud.apiUrl, { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' });
  await page.evaluate(() => {
    const session = JSON.parse(sessionStorage.getItem('console.session')!);
    sessionStorage.setItem('console.session', JSON.stringify({ ...session, accessToken: 'not-a-token' }));
  });
  await page.reload();
  await page.getByLabel('机构').waitFor();
  expect(page.url()).toContain('/local-idp/authorize');
  await context.close();
});
