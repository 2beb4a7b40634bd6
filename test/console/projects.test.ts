import { deflateSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agencyName } from '../../console/src/agencies.ts';
import { formatDue } from '../../console/src/format.ts';
import { expectAccessible, launchChromium, screenshots, signedIn } from '../support/browser.ts';
import { advanceClockTo, apiClient, NEW_PROJECT, useTestCloud, WHO } from '../support/local-cloud.ts';

/**
 * The project screens in a browser: the land bureau finds its project, the legal affairs office
 * approves the notice, the land bureau publishes it (API), a township clerk posts it in her group
 * with a photo from the browser and sees it, and the project's Gantt of legal clocks shows the
 * registration window her posting started.
 */
const CLOCK_START = '2026-08-03T09:00:00+08:00';
const cloud = useTestCloud({ clockStart: CLOCK_START });
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A small real PNG (a 16×12 green-and-white image), as a phone's photo would be. */
function png(width = 16, height = 12): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = Buffer.concat(
    Array.from({ length: height }, (_, y) => Buffer.concat([Buffer.from([0]), ...Array.from({ length: width }, (_, x) => Buffer.from((x + y) % 2 ? [17, 102, 58] : [255, 255, 255]))])),
  );
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

it('land bureau finds the project, legal affairs approves the notice, a township posts it with a photo, the Gantt shows the clocks', async () => {
  const call = apiClient(cloud());
  const project = { ...NEW_PROJECT, name: `${NEW_PROJECT.name}（控制台）` };
  const created = await call(WHO.district, 'POST', '/projects', project);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const projectId = created.body.id as string;
  const drafted = await call(WHO.landBranch, 'PUT', `/projects/${projectId}/notice`, { title: '征收土地通告', body: '根据《中华人民共和国土地管理法》……现予通告。', registrationPeriod: '30d', registrationPlace: '梅湾街道办事处' });
  expect(drafted.status, JSON.stringify(drafted.body)).toBe(200);
  const apiUrl = cloud().apiUrl;

  // The land bureau finds the project by a part of its name.
  const land = await signedIn(browser, apiUrl, WHO.landBranch);
  await land.page.getByRole('link', { name: '征收项目' }).click();
  await land.page.getByLabel('项目名称').fill('控制台');
  await land.page.getByRole('button', { name: '查询' }).click();
  await land.page.getByRole('cell', { name: '征收土地通告拟定中' }).waitFor();
  await expectAccessible(land.page, 'projects list');
  await land.page.getByRole('link', { name: project.name }).click();
  await land.page.getByRole('heading', { level: 1, name: project.name }).waitFor();
  await expectAccessible(land.page, 'project page (land bureau)');

  // The legal affairs office opens the notice from the project page and approves it.
  const legal = await signedIn(browser, apiUrl, WHO.legal);
  await legal.page.goto(`${apiUrl}/console/#/projects/${encodeURIComponent(projectId)}`);
  await legal.page.getByRole('link', { name: '征收土地通告' }).click();
  await legal.page.getByRole('heading', { level: 1, name: '征收土地通告' }).waitFor();
  await legal.page.getByText('待法制办审核').waitFor();
  await expectAccessible(legal.page, 'notice review');
  await legal.page.getByLabel('审核意见（退回时必填）').fill('经审核，通告内容合法。');
  await legal.page.getByRole('button', { name: '审核通过' }).click();
  await legal.page.getByText('审核通过，待发布').waitFor();
  await legal.page.getByRole('cell', { name: '经审核，通告内容合法。' }).waitFor();
  expect(await legal.page.getByRole('button', { name: '审核通过' }).count(), 'reviewed: no second decision').toBe(0);
  await screenshots(legal.page, 'notice-review');

  // The land bureau sees the result, and publishes (through the API).
  await land.page.goto(`${apiUrl}/console/#/projects/${encodeURIComponent(projectId)}/notice`);
  await land.page.getByText('审核通过，待发布').waitFor();
  expect(await land.page.getByRole('button', { name: '审核通过' }).count(), 'the land bureau does not review').toBe(0);
  // The plan has no draft yet: its page says so rather than failing.
  await land.page.getByRole('link', { name: '返回项目' }).click();
  await land.page.getByRole('link', { name: '实施方案' }).click();
  await land.page.getByText('尚未拟定征地补偿安置实施方案。').waitFor();
  const published = await call(WHO.landBranch, 'POST', `/projects/${projectId}/notice/publish`);
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  // An hour later the Meiwan clerk is at the village's notice board.
  await advanceClockTo(cloud(), '2026-08-03T10:15:00+08:00');

  // A Meiwan clerk posts the notice in her group (g1) with a photo from the browser; she sees no form for Yitang's group.
  const meiwan = await signedIn(browser, apiUrl, { ...WHO.meiwan, name: '梅湾街道文员' });
  await meiwan.page.goto(`${apiUrl}/console/#/projects/${encodeURIComponent(projectId)}`);
  await meiwan.page.getByRole('group', { name: '登记张贴：梅湾村一组' }).waitFor();
  expect(await meiwan.page.getByRole('group', { name: '登记张贴：伊塘村三组' }).count(), "Yitang's group is not Meiwan's to post").toBe(0);
  // Defaults to the server's now (the virtual clock), in Beijing time.
  expect(await meiwan.page.getByLabel('张贴时间（北京时间）').inputValue()).toMatch(/^2026-08-03T10:1\d$/);
  await meiwan.page.getByLabel('张贴地点').fill('梅湾村村务公开栏');
  await meiwan.page.getByLabel('张贴现场照片或视频（梅湾村一组）').setInputFiles({ name: 'notice.png', mimeType: 'image/png', buffer: png() });
  const upload = meiwan.page.locator('.upload');
  await upload.getByText('已上传并登记').or(upload.getByRole('alert')).first().waitFor();
  expect(await upload.textContent(), meiwan.problems.join('\n')).toContain('已上传并登记');
  await meiwan.page.getByText(/本组补偿登记期限至 2026年9月\d+日 24:00 届满/).waitFor();
  const thumbnail = meiwan.page.getByRole('img', { name: /梅湾村一组.*张贴/ });
  await thumbnail.first().waitFor();
  // The thumbnail is the photo itself, fetched from the evidence store with the presigned URL (decoded, 16 px wide).
  expect(await thumbnail.first().evaluate((img) => { const image = img as unknown as { decode(): Promise<void>; naturalWidth: number }; return image.decode().then(() => image.naturalWidth); })).toBe(16);
  await expectAccessible(meiwan.page, 'township posting');
  await screenshots(meiwan.page, 'township-posting');

  // The Gantt renders on a canvas, and the table beside it shows the group's registration clock, open, due in Beijing time.
  await meiwan.page.reload();
  const chart = meiwan.page.getByRole('img', { name: /程序时间线甘特图/ });
  await chart.waitFor();
  await chart.locator('canvas').waitFor();
  const timeline = await call(WHO.meiwan, 'GET', `/projects/${projectId}/timeline`);
  const window = (timeline.body.steps as Array<{ step: string; status: string; responsibleAgency: string; startedAt?: string; dueAt?: string }>).find((s) => s.step === '办理征地补偿登记：梅湾村一组')!;
  expect(window).toMatchObject({ status: 'open', startedAt: expect.any(String), dueAt: expect.any(String) });
  const registration = await meiwan.page.getByRole('row', { name: /办理征地补偿登记：梅湾村一组/ }).textContent();
  expect(registration).toContain('办理中');
  expect(registration).toContain(agencyName(window.responsibleAgency));
  expect(registration).toContain(formatDue(window.dueAt!));
  // The API's note names the posting instant in ISO 8601; the clerk reads it in Chinese, Beijing time.
  expect(registration).toContain('自 2026年8月3日 10:15 张贴起算');
  expect(registration).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  expect(await meiwan.page.getByRole('row', { name: /张贴征收土地通告并拍照留存：梅湾村一组/ }).textContent()).toContain('已办结');
  await expectAccessible(meiwan.page, 'project timeline');
  await meiwan.page.getByRole('heading', { name: '程序时间线' }).scrollIntoViewIfNeeded();
  await screenshots(meiwan.page, 'project-timeline');

  for (const who of [land, legal, meiwan]) expect(who.problems).toEqual([]);
  await Promise.all([land, legal, meiwan].map((who) => who.context.close()));
}, 240_000);
