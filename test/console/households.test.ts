import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatYuan } from '../../console/src/format.ts';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { idNumber, surveySpec, writeWorkbook } from '../../services/compensation/adapters/workbook/test-helpers.ts';
import { expectAccessible, launchChromium, screenshots, signedIn } from '../support/browser.ts';
import { apiClient, startTestCloud, WHO } from '../support/local-cloud.ts';
import { type SignedHousehold, signedHouseholdViaApi } from '../support/signed-household.ts';

/**
 * The household and Excel screens in a browser against a local cloud: the land bureau downloads
 * the survey template, imports a workbook with one bad row and watches the job to its error row,
 * generates a group's disclosure, finds a household by name and by the last digits of an ID number,
 * reads its line items, agreement PDF and payment clock; a township clerk adds a survey photo.
 */
const CLOCK_START = '2026-09-01T09:00:00+08:00';
const SPOUSE_ID = idNumber('1970-07-15', 22);

let cloud: LocalCloud;
let browser: Browser;
let signed: SignedHousehold;

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: CLOCK_START });
  // One household of g1 (张三, 李四) taken through the API to a signed agreement.
  signed = await signedHouseholdViaApi(cloud, apiClient(cloud));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

it('survey import: template downloaded, a workbook with a bad row imported and its row listed; a disclosure generated, another group refused', { timeout: 180_000 }, async () => {
  const { page, problems } = await signedIn(browser, cloud.apiUrl, WHO.landBranch);
  await page.goto(`${cloud.apiUrl}/console/#/projects/${signed.projectId}/survey-import`);
  await page.getByRole('heading', { name: '调查表导入与补偿公示' }).waitFor();

  // The template: saved by the browser, a workbook with the survey's sheets.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载调查表模板' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const template = new ExcelJS.Workbook();
  await template.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
  expect(template.worksheets.map((s) => s.name)).toEqual(expect.arrayContaining(['户及成员', '土地', '青苗', '附着物', '房屋']));
  await page.getByText(`已下载 ${download.suggestedFilename()}`).waitFor();

  // Two households of g2; the second's area is no number.
  const good = { villageGroupId: 'g2', householdNumber: '010' };
  const bad = { villageGroupId: 'g2', householdNumber: '011' };
  const workbook = await writeWorkbook(
    surveySpec({
      户及成员: [
        { ...good, headName: '王五', name: '王五', relation: '户主', idNumber: idNumber('1975-01-09', 44) },
        { ...bad, headName: '赵六', name: '赵六', relation: '户主', idNumber: idNumber('1980-05-05', 55) },
      ],
      土地: [
        { ...good, itemKey: 1, parcelNumber: 'DK-010-1', landClass: '水田', areaMu: '0.5' },
        { ...bad, itemKey: 1, parcelNumber: 'DK-011-1', landClass: '水田', areaMu: '约一亩' },
      ],
    }),
  );
  await page.getByLabel('选择填好的调查表（.xlsx）').setInputFiles({ name: '调查表.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: workbook });
  await page.getByRole('progressbar', { name: '导入进度' }).waitFor();
  // The import runs on the local Step Functions: let its timers fire while the screen polls.
  for (let attempt = 0; !(await page.getByText('调查表.xlsx：导入完成').isVisible()); attempt++) {
    expect(attempt, 'the import did not finish').toBeLessThan(100);
    await cloud.advance(0);
    await page.waitForTimeout(200);
  }
  await page.getByText('已处理 4 / 4 行').waitFor();
  const errors = page.getByRole('region', { name: '导入错误行' });
  const badRow = errors.getByRole('row').filter({ hasText: '约一亩' });
  await expect.poll(() => badRow.count()).toBe(1);
  expect(await badRow.getByRole('cell').allTextContents()).toEqual(['土地', '3', '面积（亩）（F列）', '—', expect.stringContaining('约一亩')]);
  expect(await errors.getByRole('row').count(), 'a header and the one bad row').toBe(2);

  // Disclosures: g1 (every household computed) gives its PDF and workbook; g2 has households not computed.
  await page.getByRole('button', { name: '生成梅湾村一组补偿公示' }).click();
  const pdfLink = page.getByRole('link', { name: '下载梅湾村一组公示 PDF' });
  await pdfLink.waitFor();
  expect((await fetch((await pdfLink.getAttribute('href'))!)).headers.get('content-type')).toBe('application/pdf');
  await page.getByRole('link', { name: '下载梅湾村一组公示 Excel' }).waitFor();
  await page.getByRole('button', { name: '生成伊塘村三组补偿公示' }).click();
  await page.getByRole('alert').filter({ hasText: '未按现行调查结果核算补偿' }).waitFor();
  await page.getByText('disclosure.not-computed').waitFor();

  await screenshots(page, 'survey-import');
  await expectAccessible(page, 'survey import');
  expect(problems).toEqual([]);
});

it('households: found by name and by the last four digits of an ID number; the household shows its line items, total, agreement PDF and payment clock', { timeout: 120_000 }, async () => {
  const { page, problems } = await signedIn(browser, cloud.apiUrl, WHO.landBranch);
  await page.goto(`${cloud.apiUrl}/console/#/projects/${signed.projectId}/households`);
  const list = page.getByRole('region', { name: '被征收户名单（本页）' });
  const search = page.getByLabel('户主或成员姓名、身份证号后几位');

  await search.fill('张三');
  await page.getByRole('button', { name: '查找', exact: true }).click();
  await page.getByText('查找“张三”：本页 1 户').waitFor();
  expect(await list.getByRole('row').nth(1).getByRole('cell').first().textContent()).toBe('001');

  // From the keyboard this time: Enter submits the search.
  await search.fill(SPOUSE_ID.slice(-4));
  await search.press('Enter');
  await page.getByText(`查找“${SPOUSE_ID.slice(-4)}”：本页 1 户`).waitFor();
  const row = list.getByRole('row').nth(1);
  expect(await row.textContent()).toContain('张三');
  // Masked only: the clear number is nowhere on the page.
  expect(await row.textContent()).toContain(`${SPOUSE_ID.slice(0, 4)}**********${SPOUSE_ID.slice(-4)}`);
  expect(await page.content()).not.toContain(SPOUSE_ID);
  await screenshots(page, 'household-search');
  await expectAccessible(page, 'household search');

  await row.getByRole('link', { name: '001' }).click();
  await page.getByRole('heading', { name: '被征收户 001 张三' }).waitFor();
  const lines = page.getByRole('region', { name: '补偿明细' });
  await lines.waitFor();
  expect(await lines.getByRole('row').filter({ hasText: '土地补偿费' }).textContent()).toContain('1.2345 亩');
  await page.getByText(`合计：${formatYuan(signed.totalFen)}`).waitFor();

  const preview = page.getByTitle('协议 PDF 预览');
  await preview.waitFor({ state: 'attached' });
  const pdf = await fetch((await preview.getAttribute('src'))!);
  expect(pdf.status).toBe(200);
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  await page.getByRole('link', { name: /^下载协议 PDF/ }).waitFor();

  const payments = page.getByRole('region', { name: '补偿款支付' });
  await payments.getByText('3个月支付期限').waitFor();
  expect(await payments.textContent()).toContain(formatYuan(signed.totalFen));
  await page.getByRole('region', { name: '办理时间线各事项' }).getByText('签订征收土地协议').waitFor();

  await screenshots(page, 'household');
  await expectAccessible(page, 'household');
  expect(problems).toEqual([]);
});

it('a township clerk photographs the crops: the upload shows its progress and the photo is recorded on the survey', { timeout: 120_000 }, async () => {
  const { page, problems } = await signedIn(browser, cloud.apiUrl, WHO.meiwan);
  await page.goto(`${cloud.apiUrl}/console/#/households/${signed.householdId}`);
  await page.getByRole('heading', { name: '被征收户 001 张三' }).waitFor();
  const evidence = page.getByRole('region', { name: '调查影像资料' });
  const before = await evidence.getByRole('row').filter({ hasText: 'image/jpeg' }).count();

  // The progress bar is brief on loopback: watch for it from inside the page.
  await page.evaluate(`
    globalThis.progressSeen = false;
    new MutationObserver(() => {
      if (document.querySelector('progress[aria-label="上传进度"]')) globalThis.progressSeen = true;
    }).observe(document.body, { subtree: true, childList: true });
  `);
  // A JPEG's opening bytes and 2 MB after them, so the PUT takes more than an instant.
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2 * 1024 * 1024, 7)]);
  // On a phone the picker offers the camera: photos and videos, the rear camera.
  expect(await page.getByLabel('上传青苗、附着物照片').getAttribute('accept')).toBe('image/*,video/*');
  expect(await page.getByLabel('上传青苗、附着物照片').getAttribute('capture')).toBe('environment');
  await page.getByLabel('上传青苗、附着物照片').setInputFiles({ name: 'crops.jpg', mimeType: 'image/jpeg', buffer: photo });
  const sha256 = createHash('sha256').update(photo).digest('hex');
  await page.getByText(`已上传并登记（SHA-256 ${sha256.slice(0, 12)}…）`).waitFor();
  expect(await page.evaluate('globalThis.progressSeen')).toBe(true);
  // The picker speaks Chinese (the browser's own button would say "Choose File") and names the file chosen.
  const picker = page.locator('.upload').filter({ has: page.getByLabel('上传青苗、附着物照片') }).locator('.file-picker');
  expect((await picker.textContent())?.trim()).toMatch(/^选择文件\s*crops\.jpg$/);

  const recorded = evidence.getByRole('row').filter({ hasText: `${sha256.slice(0, 12)}…` });
  await recorded.waitFor();
  expect(await recorded.textContent()).toContain('乡镇人民政府 / 街道办事处');
  expect(await evidence.getByRole('row').filter({ hasText: 'image/jpeg' }).count()).toBe(before + 1);
  expect(problems).toEqual([]);
});
