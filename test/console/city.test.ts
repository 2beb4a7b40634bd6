import type { Browser } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { expectAccessible, launchChromium, screenshots, signedIn } from '../support/browser.ts';
import { advanceClockTo, apiClient, publishNoticeViaApi, startTestCloud, WHO } from '../support/local-cloud.ts';

/**
 * The city screens in the browser, as the leading group office: a land bureau branch misses a
 * joint-meeting resolution's deadline while the alerts screen is open (the poll brings the alert);
 * the dashboard shows the branch in the overdue chart's table and the scorecard, and exports the
 * scorecard; the clock starts late in 2026, so deadlines can reach 2027, which has no holiday data
 * — the banner says so on every screen until the 2027 schedule is entered through the form.
 */
const CLOCK_START = '2026-10-12T09:00:00+08:00';
const RESOLUTION = '核查梅湾村一组补偿争议并书面答复';
const BANNER = '2027年节假日安排尚未录入：届满日落在2027年的期限无法计算。请领导小组办公室录入。';

let cloud: LocalCloud;
let browser: Browser;
let call: ReturnType<typeof apiClient>;

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: CLOCK_START });
  call = apiClient(cloud);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

const now = () => new Date(cloud.clock.now()).toISOString();

it('the leading group office follows an overdue agency on the dashboard and in its alerts, exports the scorecard and enters the 2027 holidays', { timeout: 600_000 }, async () => {
  // Through the API: a project with its notice published, and a joint meeting giving the
  // Lengshuitan land bureau branch one working day for a resolution.
  const { projectId } = await publishNoticeViaApi(call);
  const meeting = await call(WHO.leadingGroup, 'POST', '/joint-meetings', {
    kind: 'regular',
    title: '2026年10月联席会议',
    heldAt: now(),
    attendees: [{ agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', names: '王局长' }],
    agenda: ['研究梅湾村一组补偿争议'],
    projectIds: [projectId],
  });
  expect(meeting.status, JSON.stringify(meeting.body)).toBe(201);
  const resolution = await call(WHO.leadingGroup, 'POST', `/joint-meetings/${meeting.body.meetingId}/resolutions`, {
    kind: 'task',
    text: RESOLUTION,
    owner: { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' },
    period: '1wd',
    projectId,
  });
  expect(resolution.status, JSON.stringify(resolution.body)).toBe(201);
  const dueAt = resolution.body.dueAt as string;
  // A second one, due a day later, is missed while the dashboard is open: the navigation's badge counts it.
  const later = await call(WHO.leadingGroup, 'POST', `/joint-meetings/${meeting.body.meetingId}/resolutions`, {
    kind: 'task',
    text: '妥善做好受影响群众的解释工作',
    owner: { agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan' },
    period: '2wd',
    projectId,
  });
  expect(later.status, JSON.stringify(later.body)).toBe(201);
  expect(Date.parse(later.body.dueAt)).toBeGreaterThan(Date.parse(dueAt) + 3_600_000);

  const { page, problems } = await signedIn(browser, cloud.apiUrl, WHO.leadingGroup);

  // 120 days from 12 October reach 2027: the banner is on every screen, with the way to the form.
  const banner = page.getByRole('region', { name: '节假日数据提醒' });
  await banner.waitFor();
  expect(await banner.textContent()).toContain(BANNER);

  // The alerts screen is open when the deadline passes: the 10-second poll brings the alert.
  await page.getByRole('link', { name: '逾期提醒' }).click();
  await page.getByRole('heading', { level: 1, name: '逾期提醒' }).waitFor();
  const alerts = page.getByRole('table', { name: '本单位的逾期提醒' });
  await alerts.getByText('暂无逾期提醒').waitFor();
  await advanceClockTo(cloud, new Date(Date.parse(dueAt) + 3_600_000).toISOString());
  const alerted = alerts.getByRole('row').filter({ hasText: '市国土资源局' });
  await alerted.waitFor({ timeout: 30_000 });
  const alertText = (await alerted.textContent()) ?? '';
  expect(alertText).toContain('决议');
  expect(alertText).toContain('§四');
  expect(await page.getByText('新的逾期提醒 1 条').count()).toBe(1);
  await screenshots(page, 'alerts');
  await expectAccessible(page, 'alerts');

  // The dashboard: the branch in the overdue chart's table and in the scorecard; the project by stage.
  await page.getByRole('link', { name: '全市总览' }).click();
  const overdue = page.getByRole('table', { name: '各单位逾期件数' }).getByRole('row').filter({ hasText: '市国土资源局' });
  await overdue.waitFor();
  expect((await overdue.getByRole('cell').allTextContents()).slice(0, 3)).toEqual(['市国土资源局', '冷水滩区', '1']);
  const scorecardRow = page.getByRole('table', { name: /^绩效考核表/ }).getByRole('row').filter({ hasText: '市国土资源局' });
  expect((await scorecardRow.getByRole('cell').allTextContents()).slice(0, 5)).toEqual(['市国土资源局', '冷水滩区', '1', '0', '1']);
  const stage = page.getByRole('table', { name: '各阶段项目数' }).getByRole('row').filter({ hasText: '征收土地通告已发布' });
  expect(await stage.getByRole('cell').allTextContents()).toEqual(['征收土地通告已发布', '1']);
  const resolutionRow = page.getByRole('table', { name: '决议落实情况' }).getByRole('row').filter({ hasText: RESOLUTION });
  expect(await resolutionRow.textContent()).toContain('已逾期');
  await page.getByRole('table', { name: '未结突发事件' }).getByText('没有未结的突发事件').waitFor();

  // The scorecard exported: a workbook downloads.
  await page.getByRole('button', { name: '导出绩效考核表（Excel）' }).click();
  const link = page.getByRole('link', { name: /下载绩效考核表/ });
  await link.waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const workbook = readFileSync(await download.path());
  expect(workbook.subarray(0, 2).toString('latin1')).toBe('PK');
  await screenshots(page, 'dashboard');
  await expectAccessible(page, 'dashboard');

  // Elsewhere in the console, the next alert shows as a count beside 逾期提醒, and is announced.
  expect(await page.locator('.nav-badge').count()).toBe(0);
  await advanceClockTo(cloud, new Date(Date.parse(later.body.dueAt) + 3_600_000).toISOString());
  const badge = page.getByRole('navigation', { name: '主导航' }).getByText('1 条新的逾期提醒');
  await badge.waitFor({ timeout: 30_000 });
  expect(await page.getByText('新的逾期提醒 1 条').count()).toBe(1);

  // The 2027 schedule through the form (test data, not the State Council's notice); the recount
  // runs to the end and the banner goes.
  await banner.getByRole('link', { name: '录入2027年节假日安排' }).click();
  await page.getByRole('heading', { level: 1, name: '节假日安排' }).waitFor();
  expect(await page.getByLabel('年份', { exact: true }).inputValue()).toBe('2027');
  await page.getByLabel('通知名称及文号').fill('测试数据（非国务院安排）');
  await page.getByLabel('第 1 段假期名称').fill('元旦');
  await page.getByLabel('第 1 段开始日期').fill('2027-01-01');
  await page.getByLabel('第 1 段结束日期').fill('2027-01-03');
  await page.getByRole('button', { name: '添加一段假期' }).click();
  await page.getByLabel('第 2 段假期名称').fill('春节');
  await page.getByLabel('第 2 段开始日期').fill('2027-02-06');
  await page.getByLabel('第 2 段结束日期').fill('2027-02-12');
  await page.getByRole('button', { name: '添加调休上班日' }).click();
  await page.getByLabel('第 1 个调休上班日所属假期').fill('春节');
  await page.getByLabel('第 1 个调休上班日日期').fill('2027-02-20');
  await page.getByRole('button', { name: '保存2027年节假日安排' }).click();
  await page.getByRole('status').filter({ hasText: '已完成' }).waitFor({ timeout: 60_000 });
  await banner.waitFor({ state: 'detached' });
  await page.getByRole('table', { name: '已有节假日数据的年份' }).getByRole('row').filter({ hasText: '2027年' }).filter({ hasText: '领导小组办公室录入' }).waitFor();
  const years = await call(WHO.landBranch, 'GET', '/calendar/years');
  expect(years.body.find((y: { year: number }) => y.year === 2027)).toMatchObject({ origin: 'operator', source: '测试数据（非国务院安排）' });
  const deadline = await call(WHO.landBranch, 'GET', `/calendar/deadline?period=1wd&from=${encodeURIComponent('2027-02-05T10:00:00+08:00')}`);
  // The deadlines count on the entered days: one working day from Friday 5 February skips the block (6–12) and the weekend after it.
  expect(deadline.body.lastDay).toBe('2027-02-15');
  await screenshots(page, 'holidays');
  await expectAccessible(page, 'holidays');

  expect(problems).toEqual([]);
});
