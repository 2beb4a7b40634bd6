import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { advanceClockTo, apiClient, publishNoticeViaApi, startTestCloud, schemaCheckedRoutes, WHO } from '../support/local-cloud.ts';

/**
 * Oversight end to end through the local HTTP API with real tokens, the deadline workflow's real ASL
 * timing the resolutions and the monthly meeting duty on the virtual clock: a major incident on
 * National Day → the ad hoc joint meeting with its minutes → three resolutions (one done in time,
 * one late: alerted once and counted against the land bureau; the plan approved) → a district's
 * policy query through the land bureau's topic meeting and the city government's approval → the
 * scorecard (read, and exported as .xlsx read back) → November without a meeting (alerted once at
 * its end) → the supervision report (PDF text checked), an assignment followed up and a summons.
 * Every oversight route's answer is held to its declared (strict) schema.
 */
const CLOCK_START = '2026-10-02T08:00:00+08:00';
const DISCIPLINE = { agency: 'discipline-commission', jurisdiction: 'yongzhou' };
const INSPECTION = { agency: 'supervision-office', jurisdiction: 'yongzhou' };
const CITY_GOVERNMENT = { agency: 'city-government', jurisdiction: 'yongzhou' };
const LAND_CITY = { agency: 'land-bureau', jurisdiction: 'yongzhou' };
const FINANCE = { agency: 'finance', jurisdiction: 'yongzhou' };

let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;
let projectId: string;
let work: string;
let routes: ReturnType<typeof schemaCheckedRoutes>;

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: CLOCK_START });
  call = apiClient(cloud);
  routes = schemaCheckedRoutes(call, 'oversight');
  ({ projectId } = await publishNoticeViaApi(call));
  work = mkdtempSync(join(tmpdir(), 'oversight-procedure-'));
});
afterAll(async () => {
  await cloud?.stop();
});

type Who = { agency: string; jurisdiction: string };

const check = (key: string, who: Who, path: string, body?: unknown) => routes.check(key, who, path, body);

async function refused(who: Who, method: string, path: string, body: unknown, status: number, code: string) {
  const response = await call(who, method, path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error.code).toBe(code);
  expect(response.body.error.message).toMatch(/\p{Script=Han}/u);
}

const advanceTo = (instant: string) => advanceClockTo(cloud, instant);

const now = () => new Date(cloud.clock.now()).toISOString();
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const overdueAlerts = (needle: string) => cloud.alerts().filter((m) => m.messageAttributes?.kind?.Value === 'deadline-overdue' && m.message.includes(needle));

async function download(url: string, expectedSha256: string): Promise<Buffer> {
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
  expect(sha256(bytes)).toBe(expectedSha256);
  return bytes;
}

it('an ad hoc meeting on a major incident, its resolutions, a policy query, the scorecard, a month without a meeting and the supervision report, through the API', { timeout: 300_000 }, async () => {
  // A major incident on National Day: the leading group office is asked for an ad hoc joint meeting.
  await advanceTo('2026-10-02T09:00:00+08:00');
  const incident = await call(WHO.meiwan, 'POST', `/projects/${projectId}/incidents`, {
    summary: '强拆现场发生肢体冲突，一人受伤',
    location: { address: '梅湾村一组滨江大道施工现场' },
    occurredAt: '2026-10-02T08:40:00+08:00',
    people: { count: 60, description: '村民约六十人' },
    class: 'major',
    reason: '发生伤亡',
  });
  expect(incident.status).toBe(201);
  const incidentId = incident.body.incidentId as string;

  await advanceTo('2026-10-02T10:00:00+08:00');
  await refused(WHO.landBranch, 'POST', '/joint-meetings', { kind: 'ad-hoc', title: '临时联席会议', heldAt: now(), attendees: [{ agency: 'land-bureau', jurisdiction: 'yongzhou', names: '王' }], agenda: ['x'] }, 403, 'forbidden.agency');
  const meeting = await check('POST /joint-meetings', WHO.leadingGroup, '/joint-meetings', {
    kind: 'ad-hoc',
    title: '2026年第1次临时联席会议',
    heldAt: now(),
    attendees: [
      { agency: 'land-bureau', jurisdiction: 'yongzhou', names: '王局长' },
      { agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan', names: '陈区长' },
      { agency: 'public-security', jurisdiction: 'yongzhou', names: '郑局长' },
    ],
    agenda: ['研究梅湾村一组重大突发事件处置', '审定滨江大道征地补偿安置实施方案'],
    projectIds: [projectId],
    incidentIds: [incidentId],
  });
  expect(meeting).toMatchObject({ kind: 'ad-hoc', month: '2026-10', incidentIds: [incidentId], resolutions: [] });

  // The minutes, as evidence.
  const minutes = Buffer.from(`%PDF-1.4 minutes of ${meeting.meetingId}`);
  const slot = await check('POST /joint-meetings/{meetingId}/uploads', WHO.leadingGroup, `/joint-meetings/${meeting.meetingId}/uploads`, { purpose: 'minutes', contentType: 'application/pdf', fileName: 'minutes.pdf', size: minutes.length, sha256: sha256(minutes) });
  expect((await fetch(slot.url, { method: 'PUT', headers: slot.headers, body: minutes })).status).toBe(200);
  expect((await check('POST /joint-meetings/{meetingId}/minutes', WHO.leadingGroup, `/joint-meetings/${meeting.meetingId}/minutes`, { uploadId: slot.uploadId })).minutes.sha256).toBe(sha256(minutes));

  // Three resolutions: two tasks on the legal calendar, and the plan approved.
  const care = await check('POST /joint-meetings/{meetingId}/resolutions', WHO.leadingGroup, `/joint-meetings/${meeting.meetingId}/resolutions`, { kind: 'task', text: '妥善救治受伤人员并做好家属工作', owner: { agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan' }, period: '3wd', projectId });
  // From 2 October: 8, 9 and the make-up Saturday 10 October — due at 24:00 on the 10th.
  expect(care).toMatchObject({ seq: 1, lastDay: '2026-10-10', dueAtBeijing: '2026-10-11T00:00:00+08:00', deadline: { status: 'open' } });
  const review = await check('POST /joint-meetings/{meetingId}/resolutions', WHO.leadingGroup, `/joint-meetings/${meeting.meetingId}/resolutions`, { kind: 'task', text: '核查梅湾村一组补偿争议并书面答复', owner: { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' }, period: '5wd', projectId });
  expect(review).toMatchObject({ seq: 2, lastDay: '2026-10-13', dueAtBeijing: '2026-10-14T00:00:00+08:00' });
  expect(await check('POST /joint-meetings/{meetingId}/resolutions', WHO.leadingGroup, `/joint-meetings/${meeting.meetingId}/resolutions`, { kind: 'plan-approval', projectId, text: '审定通过滨江大道征地补偿安置实施方案' })).toMatchObject({ seq: 3, status: 'approved' });
  const timeline = (await call(WHO.landBranch, 'GET', `/projects/${projectId}/timeline`)).body.steps;
  expect(timeline.find((s: { step: string }) => s.step === '联席会议审定实施方案')).toMatchObject({ status: 'done', responsibleAgency: 'leading-group-office' });
  expect((await check('GET /joint-meetings', WHO.meiwan, '/joint-meetings')).items.map((m: { meetingId: string }) => m.meetingId)).toEqual([meeting.meetingId]);
  expect((await check('GET /joint-meetings/{meetingId}', WHO.police, `/joint-meetings/${meeting.meetingId}`)).resolutions).toHaveLength(3);

  // The district does its part in time; the land bureau reports progress, then misses the 14 October instant.
  await advanceTo('2026-10-09T09:00:00+08:00');
  await refused(WHO.landBranch, 'POST', `/resolutions/${care.resolutionId}/done`, { summary: '已救治' }, 403, 'forbidden.agency');
  expect(await check('POST /resolutions/{resolutionId}/done', WHO.district, `/resolutions/${care.resolutionId}/done`, { summary: '受伤人员已出院，家属工作已做好' })).toMatchObject({ status: 'done', done: { late: false } });
  await check('POST /resolutions/{resolutionId}/progress', WHO.landBranch, `/resolutions/${review.resolutionId}/progress`, { note: '已调取测量档案，正在复核' });
  await advanceTo('2026-10-14T01:00:00+08:00');
  const late = await check('GET /resolutions/{resolutionId}', WHO.meiwan, `/resolutions/${review.resolutionId}`);
  expect(late.deadline).toMatchObject({ status: 'overdue' });
  // Alerted as the clock reached 24:00 on the 13th (the timer fires within a few milliseconds).
  expect(Date.parse(late.deadline.alertedAt) - Date.parse('2026-10-14T00:00:00+08:00')).toBeGreaterThanOrEqual(0);
  expect(Date.parse(late.deadline.alertedAt) - Date.parse('2026-10-14T00:00:00+08:00')).toBeLessThan(1_000);
  expect(overdueAlerts('决议第 2 项')).toHaveLength(1);
  expect(overdueAlerts('决议第 1 项')).toEqual([]);
  await advanceTo('2026-10-15T09:00:00+08:00');
  expect(await check('POST /resolutions/{resolutionId}/done', WHO.landBranch, `/resolutions/${review.resolutionId}/done`, { summary: '已书面答复当事人' })).toMatchObject({ done: { late: true }, deadline: { status: 'met-late' } });
  expect(overdueAlerts('决议第 2 项')).toHaveLength(1);

  // A policy query: the district writes, the city land bureau's topic meeting, the city government approves, the district applies.
  const query = await check('POST /policy-queries', WHO.district, '/policy-queries', { projectId, subject: '青苗补偿标准适用', question: '冬季作物是否按水稻标准补偿', proposal: '参照相邻项目按水稻标准补偿', letter: { number: '冷政函〔2026〕18号', date: '2026-10-15' } });
  await advanceTo('2026-10-16T15:00:00+08:00');
  await refused(WHO.landBranch, 'POST', `/policy-queries/${query.queryId}/topic-meeting`, { heldAt: now(), attendees: ['land-bureau'], opinion: '同意' }, 403, 'forbidden.jurisdiction');
  await check('POST /policy-queries/{queryId}/topic-meeting', LAND_CITY, `/policy-queries/${query.queryId}/topic-meeting`, { heldAt: now(), attendees: ['land-bureau', 'district-government', 'finance'], opinion: '冬季作物按水稻标准的八成补偿' });
  await check('POST /policy-queries/{queryId}/submission', LAND_CITY, `/policy-queries/${query.queryId}/submission`, { reference: '永国土资〔2026〕77号' });
  await advanceTo('2026-10-19T10:00:00+08:00');
  await check('POST /policy-queries/{queryId}/decision', CITY_GOVERNMENT, `/policy-queries/${query.queryId}/decision`, { decision: 'approve', decidedAt: now() });
  const applied = await check('POST /policy-queries/{queryId}/application', WHO.district, `/policy-queries/${query.queryId}/application`, { appliedFrom: now() });
  expect(applied.status).toBe('in-force');
  expect(await check('GET /policy-queries/{queryId}', CITY_GOVERNMENT, `/policy-queries/${query.queryId}`)).toMatchObject({ status: 'in-force' });
  expect((await check('GET /policy-queries', WHO.district, '/policy-queries')).items).toHaveLength(1);

  // The scorecard of October, from the records: the land bureau's late resolution; the district's
  // resolution done in time, and its leaders not on site within 2 hours of the major incident.
  await refused(WHO.landBranch, 'PUT', '/scorecard/settings', { deductionRateBp: 1000 }, 403, 'forbidden.agency');
  expect(await check('PUT /scorecard/settings', WHO.leadingGroup, '/scorecard/settings', { deductionRateBp: 1000 })).toMatchObject({ deductionRateBp: 1000 });
  expect((await check('GET /scorecard/settings', DISCIPLINE, '/scorecard/settings')).deductionRateBp).toBe(1000);
  await advanceTo('2026-11-01T09:00:00+08:00');
  const scorecard = await check('GET /scorecard', WHO.leadingGroup, '/scorecard?period=2026-10');
  const land = scorecard.rows.find((r: { agency: string; jurisdiction: string }) => r.agency === 'land-bureau' && r.jurisdiction === 'yongzhou/lengshuitan');
  expect(land).toMatchObject({ missed: 1, missedThenMet: 1, resolutionsLate: 1, openOverdue: 0 });
  const district = scorecard.rows.find((r: { agency: string; jurisdiction: string }) => r.agency === 'district-government' && r.jurisdiction === 'yongzhou/lengshuitan');
  // 1,000 bp × 1 missed ÷ 2 judged.
  expect(district).toMatchObject({ met: 1, missed: 1, onSiteMissed: 1, openOverdue: 1, deductionShareBp: 500 });
  expect(land).toMatchObject({ deductionShareBp: 1000 });
  const exported = await check('POST /scorecard/export', DISCIPLINE, '/scorecard/export?period=2026-10');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await download(exported.url, exported.sha256)) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('考核')!;
  const cells: string[] = [];
  sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
  expect(cells.join('|')).toContain('市国土资源局');
  await refused(FINANCE, 'GET', '/scorecard?period=2026-10', undefined, 403, 'forbidden.agency');

  // November passes without a meeting: one alert at 24:00 on the 30th, to the leading group office.
  await advanceTo('2026-12-01T01:00:00+08:00');
  const november = overdueAlerts('2026年11月联席会议');
  expect(november).toHaveLength(1);
  expect(JSON.parse(november[0]!.messageAttributes.agency!.Value as string)).toEqual(['leading-group-office']);

  // The inspection: the report of what was not carried out, from the records, as a PDF.
  await refused(WHO.leadingGroup, 'POST', '/supervision/reports', { number: 'X', from: '2026-10-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' }, 403, 'forbidden.agency');
  const report = await check('POST /supervision/reports', DISCIPLINE, '/supervision/reports', { number: '永征督〔2026〕5号', from: '2026-10-01T00:00:00+08:00', to: '2026-12-01T01:00:00+08:00' });
  expect(report.findings).toMatchObject({ resolutions: 1, missedArrivals: 1, missedMeetingMonths: 1 });
  const pdf = join(work, 'report.pdf');
  writeFileSync(pdf, await download(report.url, report.document.sha256));
  const text = spawnSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '');
  for (const fact of ['永征督〔2026〕5号', '核查梅湾村一组补偿争议并书面答复', '2026年11月', '抄送', '冷水滩区', '§四(四)']) expect(text).toContain(fact);
  expect((await check('GET /supervision/reports/{reportId}', WHO.leadingGroup, `/supervision/reports/${report.reportId}`)).document.sha256).toBe(report.document.sha256);

  // A problem assigned and followed up; the official summoned.
  const assignment = await check('POST /supervision/assignments', INSPECTION, '/supervision/assignments', { problem: '决议第 2 项逾期落实，限期整改并报告', assignee: { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' }, period: '10wd', reportId: report.reportId });
  expect(await check('GET /supervision/assignments/{assignmentId}', WHO.landBranch, `/supervision/assignments/${assignment.assignmentId}`)).toMatchObject({ status: 'open', deadline: { status: 'open' } });
  await refused(WHO.meiwan, 'GET', `/supervision/assignments/${assignment.assignmentId}`, undefined, 403, 'forbidden.agency');
  await advanceTo('2026-12-04T09:00:00+08:00');
  expect(await check('POST /supervision/assignments/{assignmentId}/done', WHO.landBranch, `/supervision/assignments/${assignment.assignmentId}/done`, { summary: '已整改，建立决议台账' })).toMatchObject({ status: 'done', done: { late: false } });
  const summons = await check('POST /supervision/summons', DISCIPLINE, '/supervision/summons', { official: { name: '刘某', title: '冷水滩分局副局长' }, agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', reason: '联席会议决议逾期落实', heldAt: now(), reportId: report.reportId });
  expect(await check('GET /supervision/summons/{summonsId}', WHO.leadingGroup, `/supervision/summons/${summons.summonsId}`)).toMatchObject({ reportId: report.reportId });

  expect([...routes.checked].sort()).toEqual([...routes.routes.keys()].sort());
});
