import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { expectAccessible, launchChromium, screenshots, signedIn } from '../support/browser.ts';
import { advanceClockTo, apiClient, NEW_PROJECT, publishNoticeViaApi, startTestCloud, WHO } from '../support/local-cloud.ts';

/**
 * 我的待办 in the browser: the land bureau's 45-day plan clock is listed with its due instant in
 * Beijing time and its legal source; once the virtual clock passes it, the same item is red and
 * says how long it is overdue. The browser runs in London's zone: Beijing time must not depend on it.
 */
let cloud: LocalCloud;
let browser: Browser;
let plan: { dueAt: string };
let projectId: string;

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: '2026-08-03T09:00:00+08:00' });
  browser = await launchChromium();
  ({ plan, projectId } = await publishNoticeViaApi(apiClient(cloud)));
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

it("shows the land bureau's plan clock, then shows it red once the virtual clock passes it", async () => {
  const { page, problems, context } = await signedIn(browser, cloud.apiUrl, { ...WHO.landBranch, name: '王科长' });
  const row = page.getByRole('row').filter({ hasText: '发布征地补偿安置实施方案' });
  await row.first().waitFor();
  const due = new Date(plan.dueAt);
  const beijing = new Date(due.getTime() + 8 * 3_600_000);
  const lastDay = new Date(beijing.getTime() - 1);
  const dueText = `${lastDay.getUTCFullYear()}年${lastDay.getUTCMonth() + 1}月${lastDay.getUTCDate()}日 24:00`;
  expect(await row.first().textContent()).toContain(dueText);
  expect(await row.first().textContent()).toContain('45日');
  expect(await row.first().textContent()).toContain('办理中');
  // The case is named as people know it and one click away.
  const caseLink = row.first().getByRole('link', { name: NEW_PROJECT.name });
  expect(await caseLink.getAttribute('href')).toBe(`#/projects/${encodeURIComponent(projectId)}`);
  // The rule's legal source is on the deadline (hover) and read to screen readers.
  expect(await row.first().locator('.deadline').getAttribute('title')).toMatch(/\S/);
  await expectAccessible(page, '我的待办');
  await screenshots(page, 'work-open');

  await advanceClockTo(cloud, new Date(due.getTime() + 2 * 86_400_000).toISOString());
  await page.reload();
  await row.first().waitFor();
  await expect.poll(() => row.first().getAttribute('class')).toContain('overdue');
  expect(await row.first().textContent()).toContain('已逾期');
  expect(await row.first().locator('.deadline.overdue').count()).toBe(1);
  await expectAccessible(page, '我的待办（逾期）');
  await screenshots(page, 'work-overdue');
  expect(problems).toEqual([]);
  await context.close();
});
