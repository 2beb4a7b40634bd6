import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolutionDoneV1 } from '../../../events/resolution-done.v1.ts';
import { resolutionDueV1 } from '../../../events/resolution-due.v1.ts';
import { supervisionAssignmentV1 } from '../../../events/supervision-assignment.v1.ts';
import { supervisionReportV1 } from '../../../events/supervision-report.v1.ts';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import type { Identity } from '../../../shared/identity.ts';
import { expectRefused } from '../../../test/support/compensation.ts';
import { AGENTS, ctxOf, MemoryBucket, RecordingAlerts, RecordingScheduler, sequentialIds } from '../../../test/support/fakes.ts';
import { projectWithPublishedNotice } from '../../../test/support/procedure.ts';
import { deadlinesDepsOn } from '../../deadlines/adapters/deps.ts';
import { fallDueTask } from '../../deadlines/app/use-cases.ts';
import { noticesDepsOn } from '../../notices/adapters/deps.ts';
import { readInbox } from '../../notices/app/use-cases.ts';
import { oversightDepsOn } from '../adapters/deps.ts';
import { completeMeetingResolution, MEETINGS_CASE, readResolution, recordJointMeeting, recordResolution, reportResolutionProgress, resolutionKey } from './meetings.ts';
import { assignmentKey, assignProblem, completeSupervisionAssignment, issueSupervisionReport, recordOfficialSummons } from './supervision.ts';

/**
 * Joint meetings, their resolutions and supervision on the memory table, with the deadline worker
 * that judges their clocks: a calendar month without a meeting is missed once at its end and stays
 * missed; a resolution's due instant is counted on the legal calendar and a late one is alerted and
 * recorded against its owner; the plan approval is the meeting's; the supervision report states
 * those misses from the records, as a PDF.
 */
let store: MemoryTable;
let bucket: MemoryBucket;
let scheduler: RecordingScheduler;
let alerts: RecordingAlerts;
let deps: ReturnType<typeof oversightDepsOn>;
let projectId: string;
let planDueAt: string;
const world = () => ({ store, bucket });
const OFFICE: Identity = { user: 'lin.lgo', agency: 'leading-group-office', jurisdiction: 'yongzhou' };
const DISCIPLINE: Identity = { user: 'gu.dc', agency: 'discipline-commission', jurisdiction: 'yongzhou' };
const INSPECTION: Identity = { user: 'yu.so', agency: 'supervision-office', jurisdiction: 'yongzhou' };
const ATTENDEES = [
  { agency: 'land-bureau' as const, jurisdiction: 'yongzhou', names: '王局长' },
  { agency: 'district-government' as const, jurisdiction: 'yongzhou/lengshuitan', names: '陈区长' },
];
const bj = (text: string) => new Date(text);
const meetingAt = (heldAt: string, overrides: Record<string, unknown> = {}) =>
  recordJointMeeting(deps, { kind: 'regular', title: '联席会议', heldAt, attendees: ATTENDEES, agenda: ['调度征地拆迁工作'], projectIds: [projectId], incidentIds: [], ...overrides } as never, ctxOf(OFFICE, heldAt));
const worker = () => deadlinesDepsOn(store, { alerts, scheduler, newId: sequentialIds });
const fire = (caseId: string, ruleId: string, at: string) => fallDueTask(worker(), { caseId, ruleId }, bj(at), 'timer');
const overdue = async () => (await worker().performance.page({ limit: 100 })).items;
const inboxOf = (who: Identity, at: string) => readInbox(noticesDepsOn(store, { evidence: bucket, scheduler, newId: sequentialIds }), { limit: 20 }, ctxOf(who, at));

beforeEach(async () => {
  store = new MemoryTable();
  bucket = new MemoryBucket();
  scheduler = new RecordingScheduler();
  alerts = new RecordingAlerts();
  deps = oversightDepsOn(store, { scheduler, evidence: bucket, files: bucket, newId: sequentialIds });
  const published = await projectWithPublishedNotice(store);
  projectId = published.project.id;
  planDueAt = published.plan.dueAt;
});

describe('the monthly meeting duty', () => {
  it('a meeting meets its month and watches the next twelve, each due at 24:00 Beijing of its last day', async () => {
    await meetingAt('2026-10-15T09:00:00+08:00');
    const watches = await deps.watches.ofCase(MEETINGS_CASE);
    expect(watches.map((w) => [w.ruleId, w.status])).toEqual([
      ['joint-meeting/2026-10', 'met'],
      ...['2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06', '2027-07', '2027-08', '2027-09', '2027-10'].map((m) => [`joint-meeting/${m}`, 'open']),
    ]);
    // A calendar span: no holiday data needed for 2027, none moves it.
    expect(watches.find((w) => w.ruleId === 'joint-meeting/2027-01')).toMatchObject({ lastDay: '2027-01-31', dueAt: bj('2027-02-01T00:00:00+08:00').toISOString(), triggeredAt: bj('2027-01-01T00:00:00+08:00').toISOString() });
    expect(watches.find((w) => w.ruleId === 'joint-meeting/2026-12')?.dueAt).toBe(bj('2027-01-01T00:00:00+08:00').toISOString());
  });

  it('a month with none alerts once at its end, counts against the office, and stays missed when the next meeting comes', async () => {
    await meetingAt('2026-10-15T09:00:00+08:00');
    expect(await fire(MEETINGS_CASE, 'joint-meeting/2026-11', '2026-11-30T23:59:59+08:00')).toMatchObject({ status: 'not-yet-due' });
    expect(await fire(MEETINGS_CASE, 'joint-meeting/2026-11', '2026-12-01T00:00:00+08:00')).toMatchObject({ status: 'overdue', judged: 'missed' });
    await fire(MEETINGS_CASE, 'joint-meeting/2026-11', '2026-12-01T01:00:00+08:00');
    expect(alerts.published).toHaveLength(1);
    expect(alerts.published[0]).toMatchObject({ agencies: ['leading-group-office'], severity: 'warning' });
    expect(alerts.published[0]!.message).toContain('2026年11月联席会议');
    expect(alerts.published[0]!.message).toContain('2026年11月30日24时');
    await meetingAt('2026-12-03T09:00:00+08:00');
    const watches = await deps.watches.ofCase(MEETINGS_CASE);
    expect(watches.find((w) => w.ruleId === 'joint-meeting/2026-11')).toMatchObject({ status: 'cancelled', cancelReason: expect.stringContaining('已记入考核') });
    expect(watches.find((w) => w.ruleId === 'joint-meeting/2026-12')).toMatchObject({ status: 'met' });
    expect(watches.find((w) => w.ruleId === 'joint-meeting/2027-11')).toMatchObject({ status: 'open' });
    expect(await overdue()).toEqual([expect.objectContaining({ agency: 'leading-group-office', ruleId: 'joint-meeting/2026-11' })]);
  });

  it('an ad hoc meeting in a month meets it too; a meeting in the future or without attendees is refused', async () => {
    await meetingAt('2026-10-02T09:00:00+08:00', { kind: 'ad-hoc', incidentIds: ['INC1'], agenda: ['研究重大突发事件处置'] });
    expect((await deps.watches.ofCase(MEETINGS_CASE)).find((w) => w.ruleId === 'joint-meeting/2026-10')?.status).toBe('met');
    await expectRefused(world(), () => recordJointMeeting(deps, { kind: 'regular', title: '会', heldAt: '2026-10-20T09:00:00+08:00', attendees: ATTENDEES, agenda: ['x'], projectIds: [], incidentIds: [] }, ctxOf(OFFICE, '2026-10-19T09:00:00+08:00')), { status: 400, code: 'meeting.held-in-future' });
    await expectRefused(world(), () => recordJointMeeting(deps, { kind: 'regular', title: '会', heldAt: '2026-10-02T09:00:00+08:00', attendees: ATTENDEES, agenda: ['x'], projectIds: [], incidentIds: [] }, ctxOf(AGENTS.landBranch, '2026-10-02T10:00:00+08:00')), { status: 403, code: 'forbidden.agency' });
  });
});

describe('resolutions', () => {
  it('due on the legal calendar from the meeting; late, alerted once and counted against the owner; done late on record', async () => {
    // From Friday 25 September 2026, ten working days: 28, 29, 30 September; National Day (1–7 October)
    // skipped; 8, 9 and the make-up Saturday 10 October; 12, 13, 14, 15 October — the last day.
    const meeting = await meetingAt('2026-09-25T15:00:00+08:00');
    const resolution = await recordResolution(deps, meeting.meetingId, { kind: 'task', text: '十日内完成梅湾村一组地上附着物清点', owner: { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' }, period: '10wd', projectId }, ctxOf(OFFICE, '2026-09-25T16:00:00+08:00'));
    expect(resolution).toMatchObject({ seq: 1, status: 'open', period: '10wd', lastDay: '2026-10-15', dueAtBeijing: '2026-10-16T00:00:00+08:00', deadline: { status: 'open' } });
    const told = await inboxOf(AGENTS.landBranch, '2026-09-25T17:00:00+08:00');
    expect(resolutionDueV1.schema.safeParse(told.items.find((e) => e.kind === 'resolution-due')).success).toBe(true);
    await expectRefused(world(), () => completeMeetingResolution(deps, resolution.resolutionId, { summary: '已完成' }, ctxOf(AGENTS.etdzBranch, '2026-10-10T09:00:00+08:00')), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world(), () => completeMeetingResolution(deps, resolution.resolutionId, { summary: '已完成' }, ctxOf(AGENTS.district, '2026-10-10T09:00:00+08:00')), { status: 403, code: 'forbidden.agency' });
    await reportResolutionProgress(deps, resolution.resolutionId, { note: '已清点八成' }, ctxOf(AGENTS.landBranch, '2026-10-12T09:00:00+08:00'));
    expect(await fire(meeting.meetingId, resolutionKey(resolution.resolutionId), '2026-10-16T00:00:00+08:00')).toMatchObject({ status: 'overdue', judged: 'missed' });
    expect(alerts.published).toHaveLength(1);
    expect(alerts.published[0]).toMatchObject({ agencies: expect.arrayContaining(['land-bureau', 'leading-group-office', 'discipline-commission', 'supervision-office']), jurisdiction: 'yongzhou/lengshuitan' });
    expect(alerts.published[0]!.message).toContain('联席会议决议第 1 项');
    const done = await completeMeetingResolution(deps, resolution.resolutionId, { summary: '已全部清点并公示' }, ctxOf(AGENTS.landBranch, '2026-10-16T09:00:00+08:00'));
    expect(done).toMatchObject({ status: 'done', done: { late: true }, deadline: { status: 'met-late' } });
    expect(await overdue()).toEqual([expect.objectContaining({ agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', ruleId: resolutionKey(resolution.resolutionId) })]);
    const office = await inboxOf(OFFICE, '2026-10-16T10:00:00+08:00');
    const report = office.items.find((e) => e.kind === 'resolution-done');
    expect(resolutionDoneV1.schema.safeParse(report).success).toBe(true);
    expect(report?.data).toMatchObject({ late: true });
    await expectRefused(world(), () => completeMeetingResolution(deps, resolution.resolutionId, { summary: '再次' }, ctxOf(AGENTS.landBranch, '2026-10-17T09:00:00+08:00')), { status: 409, code: 'resolution.done' });
    expect((await readResolution(deps, resolution.resolutionId, ctxOf(AGENTS.meiwan, '2026-10-17T09:00:00+08:00'))).progress).toHaveLength(1);
  });

  it('done in time: met, no alert, nothing counted', async () => {
    const meeting = await meetingAt('2026-10-15T09:00:00+08:00');
    const resolution = await recordResolution(deps, meeting.meetingId, { kind: 'task', text: '落实资金', owner: { agency: 'finance', jurisdiction: 'yongzhou' }, period: '5wd' }, ctxOf(OFFICE, '2026-10-15T10:00:00+08:00'));
    await completeMeetingResolution(deps, resolution.resolutionId, { summary: '资金已到位' }, ctxOf(AGENTS.finance, '2026-10-20T09:00:00+08:00'));
    expect(await fire(meeting.meetingId, resolutionKey(resolution.resolutionId), resolution.dueAt!)).toMatchObject({ status: 'met', judged: 'met-in-time' });
    expect(alerts.published).toEqual([]);
  });

  it('the plan approval: of a project on the agenda, once, into the kernel', async () => {
    const meeting = await meetingAt('2026-10-15T09:00:00+08:00', { projectIds: [] });
    await expectRefused(world(), () => recordResolution(deps, meeting.meetingId, { kind: 'plan-approval', projectId, text: '审定' }, ctxOf(OFFICE, '2026-10-15T10:00:00+08:00')), { status: 400, code: 'resolution.project-not-on-agenda' });
    const second = await meetingAt('2026-10-16T09:00:00+08:00');
    const approval = await recordResolution(deps, second.meetingId, { kind: 'plan-approval', projectId, text: '审定通过实施方案' }, ctxOf(OFFICE, '2026-10-16T10:00:00+08:00'));
    expect(approval).toMatchObject({ kind: 'plan-approval', status: 'approved' });
    expect(await caseKernel(store).planApprovals.find(projectId)).toMatchObject({ meetingId: second.meetingId, approvedAt: bj('2026-10-16T09:00:00+08:00').toISOString() });
    await expectRefused(world(), () => recordResolution(deps, second.meetingId, { kind: 'plan-approval', projectId, text: '再次审定' }, ctxOf(OFFICE, '2026-10-16T11:00:00+08:00')), { status: 409, code: 'resolution.plan-already-approved' });
  });
});

describe('supervision', () => {
  it('the report states the period’s misses from the records, as a stored PDF; problems are assigned and followed up; an official summoned', async () => {
    const meeting = await meetingAt('2026-10-15T09:00:00+08:00');
    const resolution = await recordResolution(deps, meeting.meetingId, { kind: 'task', text: '限期完成伊塘村三组丈量复核', owner: { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' }, period: '5wd' }, ctxOf(OFFICE, '2026-10-15T10:00:00+08:00'));
    await fire(meeting.meetingId, resolutionKey(resolution.resolutionId), resolution.dueAt!);
    await fire(MEETINGS_CASE, 'joint-meeting/2026-11', '2026-12-01T00:00:00+08:00');
    // The land bureau's 45-day plan (notice of 1 September) is missed too: a linkage failure.
    await fire(projectId, 'implementation-plan', planDueAt);
    await expectRefused(world(), () => issueSupervisionReport(deps, { number: '永征督〔2026〕1号', from: '2026-10-01T00:00:00+08:00', to: '2026-12-02T00:00:00+08:00' }, ctxOf(OFFICE, '2026-12-02T09:00:00+08:00')), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world(), () => issueSupervisionReport(deps, { number: 'X', from: '2026-12-01T00:00:00+08:00', to: '2026-10-01T00:00:00+08:00' }, ctxOf(DISCIPLINE, '2026-12-02T09:00:00+08:00')), { status: 400, code: 'supervision.period-invalid' });
    const report = await issueSupervisionReport(deps, { number: '永征督〔2026〕1号', from: '2026-10-01T00:00:00+08:00', to: '2026-12-02T00:00:00+08:00' }, ctxOf(DISCIPLINE, '2026-12-02T09:00:00+08:00'));
    expect(report.findings).toEqual({ resolutions: 1, missedDeadlines: 1, missedArrivals: 0, missedMeetingMonths: 1 });
    const pdf = join(mkdtempSync(join(tmpdir(), 'supervision-')), 'report.pdf');
    writeFileSync(pdf, bucket.bytes(report.document.key)!);
    const text = spawnSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '');
    for (const fact of ['永征督〔2026〕1号', '限期完成伊塘村三组丈量复核', '2026年11月', '发布征地补偿安置实施方案', '滨江大道建设项目', '抄送', '§四(四)']) expect(text).toContain(fact);
    const cityInbox = await inboxOf({ user: 'mayor', agency: 'city-government', jurisdiction: 'yongzhou' }, '2026-12-02T10:00:00+08:00');
    expect(supervisionReportV1.schema.safeParse(cityInbox.items.find((e) => e.kind === 'supervision-report')).success).toBe(true);

    const assignment = await assignProblem(deps, { problem: '决议第 1 项逾期未落实，限期整改', assignee: { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' }, period: '10wd', reportId: report.reportId }, ctxOf(INSPECTION, '2026-12-02T11:00:00+08:00'));
    expect(assignment).toMatchObject({ status: 'open', deadline: { status: 'open' } });
    const task = (await inboxOf(AGENTS.landBranch, '2026-12-02T12:00:00+08:00')).items.find((e) => e.kind === 'supervision-assignment');
    expect(supervisionAssignmentV1.schema.safeParse(task).success).toBe(true);
    const settled = await completeSupervisionAssignment(deps, assignment.assignmentId, { summary: '已整改完毕' }, ctxOf(AGENTS.landBranch, '2026-12-08T09:00:00+08:00'));
    expect(settled).toMatchObject({ status: 'done', done: { late: false }, deadline: { status: 'met' } });
    expect(await fire(assignment.assignmentId, assignmentKey(assignment.assignmentId), assignment.dueAt)).toMatchObject({ status: 'met' });

    await expectRefused(world(), () => recordOfficialSummons(deps, { official: { name: '某某', title: '副局长' }, agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', reason: '决议逾期', heldAt: '2026-12-09T09:00:00+08:00' }, ctxOf(INSPECTION, '2026-12-09T10:00:00+08:00')), { status: 403, code: 'forbidden.agency' });
    const summons = await recordOfficialSummons(deps, { official: { name: '某某', title: '副局长' }, agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', reason: '联席会议决议逾期未落实', heldAt: '2026-12-09T09:00:00+08:00', reportId: report.reportId }, ctxOf(DISCIPLINE, '2026-12-09T10:00:00+08:00'));
    expect(summons).toMatchObject({ agency: 'land-bureau', reportId: report.reportId });
  });
});
