import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import { builtInYears, parseHolidayYear, type HolidayYear } from '../../../shared/calendar/index.ts';
import { AGENTS, ctxOf, RecordingAlerts, RecordingScheduler, sequentialIds } from '../../../test/support/fakes.ts';
import { projectWithPublishedNotice } from '../../../test/support/procedure.ts';
import { fallDueTask } from '../../deadlines/app/use-cases.ts';
import { maintenancePageTask } from '../../deadlines/app/maintenance.ts';
import { deadlinesDepsOn } from '../../deadlines/adapters/deps.ts';
import { platformDepsOn } from '../adapters/deps.ts';
import { alertsFor, deadlineFor, holidayYears, maintenanceJob, myWork, overdueRecords, putHolidayYear, type PlatformDeps } from './use-cases.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { asTableWrite } from '../../../shared/adapters/table.ts';
import { MAX_INDEX_READS } from './filtered-page.ts';

const LEADING_GROUP = { user: 'he.lg', agency: 'leading-group-office', jurisdiction: 'yongzhou' } as const;
const DISCIPLINE = { user: 'lu.dc', agency: 'discipline-commission', jurisdiction: 'yongzhou' } as const;

let table: MemoryTable;
let scheduler: RecordingScheduler;
let deps: PlatformDeps;

beforeEach(() => {
  table = new MemoryTable();
  scheduler = new RecordingScheduler();
  // The maintenance workflow, in process: pages of 1 until the job is done.
  const worker = deadlinesDepsOn(table, { alerts: new RecordingAlerts(), scheduler, newId: sequentialIds, pageSize: 1 });
  const runner = { start: async (jobId: string) => {
    while (!(await maintenancePageTask(worker, { jobId }, new Date('2026-09-02T01:00:00Z'), 'page')).done);
  } };
  deps = platformDepsOn(table, { runner, newId: sequentialIds });
});

/** The built-in 2026 schedule with Friday 16 October made a rest day (a test fixture, not a real notice). */
function corrected2026(): HolidayYear {
  // built-in entries may be bare dates; parse to the normalized shape an operator's PUT produces.
  const y2026 = builtInYears().find((y) => y.year === 2026)!;
  return parseHolidayYear({ ...y2026, holidays: [...y2026.holidays, { date: '2026-10-16', name: '测试更正' }], source: '测试更正数据', updatedAt: '2026-09-02' });
}

describe('the legal calendar for agencies', () => {
  it('computes a deadline with its Beijing-time due instant, for any agency in its jurisdiction', async () => {
    const result = await deadlineFor(deps, { period: '7wd', from: '2026-09-28T10:00:00+08:00' }, ctxOf(AGENTS.meiwan, '2026-09-28T10:00:00+08:00'));
    // 29–30 Sep are working days, 1–8 Oct the National Day holiday, 9 Oct a working day …
    expect(result).toMatchObject({ lastDay: '2026-10-13', dueAt: '2026-10-13T16:00:00.000Z' });
    expect(result.dueAtBeijing).toContain('2026-10-14');
  });

  it('lists built-in years and, once an operator corrects one, that year as the operator\'s', async () => {
    const before = await holidayYears(deps, ctxOf(AGENTS.meiwan, '2026-09-02T09:00:00+08:00'));
    expect(before.find((y) => y.year === 2026)).toMatchObject({ origin: 'built-in' });
    await putHolidayYear(deps, 2026, corrected2026(), ctxOf(LEADING_GROUP, '2026-09-02T09:00:00+08:00'));
    const after = await holidayYears(deps, ctxOf(AGENTS.meiwan, '2026-09-02T09:00:00+08:00'));
    expect(after.filter((y) => y.year === 2026)).toEqual([{ year: 2026, source: '测试更正数据', updatedAt: '2026-09-02', origin: 'operator' }]);
  });
});

describe('correcting a holiday year', () => {
  it('is the leading group office\'s alone, city-wide, and the year in the path must be the data\'s', async () => {
    await expect(putHolidayYear(deps, 2026, corrected2026(), ctxOf(AGENTS.landBureau, '2026-09-02T09:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
    const districtLeadingGroup = { ...LEADING_GROUP, jurisdiction: 'yongzhou/lengshuitan' };
    await expect(putHolidayYear(deps, 2026, corrected2026(), ctxOf(districtLeadingGroup, '2026-09-02T09:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.jurisdiction' });
    await expect(putHolidayYear(deps, 2027, corrected2026(), ctxOf(LEADING_GROUP, '2026-09-02T09:00:00+08:00'))).rejects.toMatchObject({ code: 'calendar.year-mismatch' });
    expect(table.items.size).toBe(0);
    expect(table.audit).toHaveLength(0);
  });

  it('records a recount job with the year; the job re-counts the deadlines it moves (each audited) and restarts each case phase once; a repeat changes nothing', async () => {
    // Notices not posted yet: each project's live clocks are the plan's and the two groups' posting deadlines.
    const first = await projectWithPublishedNotice(table, '2026-09-01T10:00:00+08:00', undefined, { posted: false });
    const second = await projectWithPublishedNotice(table, '2026-09-01T11:00:00+08:00', undefined, { posted: false });
    const result = await putHolidayYear(deps, 2026, corrected2026(), ctxOf(LEADING_GROUP, '2026-09-02T09:00:00+08:00'));
    expect(result.job).toMatchObject({ kind: 'recount', status: 'running', counts: { processed: 0 } });
    const job = await maintenanceJob(deps, result.job.jobId, ctxOf(LEADING_GROUP, '2026-09-02T09:05:00+08:00'));
    // Six live watches, a page each; two moved, on two case phases.
    expect(job).toMatchObject({ status: 'completed', pages: 6, counts: { processed: 6, changed: 2, restarted: 2, failed: 0 } });
    expect(job).not.toHaveProperty('position');
    const recounted = table.audit.filter((a) => a.action === 'deadline.recounted');
    expect(recounted.map((a) => [a.target.projectId, a.summary?.from, a.summary?.to]).sort()).toEqual(
      [first.project.id, second.project.id].sort().map((id) => [id, '2026-10-16T16:00:00.000Z', '2026-10-19T16:00:00.000Z']),
    );
    expect(table.audit.filter((a) => a.action === 'calendar.put-year')).toHaveLength(1);
    expect(table.audit.filter((a) => a.action === 'maintenance.read')).toHaveLength(1);
    expect(scheduler.stopped).toEqual([]);
    expect(scheduler.started.map((r) => [r.caseId, r.phase]).sort()).toEqual([first.project.id, second.project.id].sort().map((id) => [id, 'project']));
    // The workflow waits on the new instant, and on every live watch of the phase.
    const started = scheduler.started.find((r) => r.caseId === first.project.id)!;
    expect(started.watches.map((w) => [w.ruleId, w.dueAt]).sort()).toEqual([
      ['implementation-plan', '2026-10-19T16:00:00.000Z'],
      ['notice-posting/g1', first.deadlines[1]!.dueAt],
      ['notice-posting/g2', first.deadlines[2]!.dueAt],
    ]);

    const again = await putHolidayYear(deps, 2026, corrected2026(), ctxOf(LEADING_GROUP, '2026-09-03T09:00:00+08:00'));
    expect(await maintenanceJob(deps, again.job.jobId, ctxOf(LEADING_GROUP, '2026-09-03T09:05:00+08:00'))).toMatchObject({ status: 'completed', counts: { processed: 6, changed: 0, restarted: 0 } });
    expect(scheduler.started).toHaveLength(2);
  });

  it('a job is read by the leading group office alone', async () => {
    const { job } = await putHolidayYear(deps, 2026, corrected2026(), ctxOf(LEADING_GROUP, '2026-09-02T09:00:00+08:00'));
    await expect(maintenanceJob(deps, job.jobId, ctxOf(AGENTS.landBureau, '2026-09-02T09:05:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
    await expect(maintenanceJob(deps, 'recount-2026-nope', ctxOf(LEADING_GROUP, '2026-09-02T09:05:00+08:00'))).rejects.toMatchObject({ code: 'job.not-found' });
  });

  it('leaves a deadline that already fell due as it happened', async () => {
    const { project, plan } = await projectWithPublishedNotice(table, '2026-09-01T10:00:00+08:00');
    const worker = deadlinesDepsOn(table, { alerts: new RecordingAlerts(), scheduler, newId: sequentialIds });
    await fallDueTask(worker, { caseId: project.id, ruleId: 'implementation-plan' }, new Date(Date.parse(plan.dueAt) + 1), 'r1');
    const { job } = await putHolidayYear(deps, 2026, corrected2026(), ctxOf(LEADING_GROUP, '2026-10-18T09:00:00+08:00'));
    expect(await maintenanceJob(deps, job.jobId, ctxOf(LEADING_GROUP, '2026-10-18T09:05:00+08:00'))).toMatchObject({ status: 'completed', counts: { changed: 0, restarted: 0 } });
    expect(scheduler.started).toHaveLength(0);
  });
});

describe('overdue records', () => {
  async function overdueProjects(n: number) {
    const worker = deadlinesDepsOn(table, { alerts: new RecordingAlerts(), scheduler, newId: sequentialIds });
    for (let i = 0; i < n; i++) {
      const { project, plan } = await projectWithPublishedNotice(table, `2026-09-0${i + 1}T10:00:00+08:00`);
      await fallDueTask(worker, { caseId: project.id, ruleId: 'implementation-plan' }, new Date(Date.parse(plan.dueAt) + 1), `r${i}`);
    }
  }

  it('are read city-wide by the leading group office and the discipline commission, a page at a time, newest first; reading is audited', async () => {
    await overdueProjects(3);
    const first = await overdueRecords(deps, { limit: 2 }, ctxOf(DISCIPLINE, '2026-11-01T09:00:00+08:00'));
    const second = await overdueRecords(deps, { limit: 2, cursor: first.cursor }, ctxOf(DISCIPLINE, '2026-11-01T09:00:00+08:00'));
    const all = [...first.items, ...second.items];
    expect(all).toHaveLength(3);
    expect(second.cursor).toBeUndefined();
    expect(all.map((r) => r.recordedAt)).toEqual([...all.map((r) => r.recordedAt)].sort().reverse());
    expect(all.every((r) => r.agency === 'land-bureau' && r.ruleId === 'implementation-plan')).toBe(true);
    expect(table.audit.filter((a) => a.action === 'performance.read')).toHaveLength(2);
  });

  it('are not for other agencies, and a forged cursor is a 400', async () => {
    await overdueProjects(2);
    await expect(overdueRecords(deps, { limit: 1 }, ctxOf(AGENTS.landBureau, '2026-11-01T09:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
    const page = await overdueRecords(deps, { limit: 1 }, ctxOf(LEADING_GROUP, '2026-11-01T09:00:00+08:00'));
    const forged = Buffer.from(JSON.stringify({ gsi1pk: 'OVERDUE', gsi1sk: '', pk: '', sk: '' })).toString('base64url');
    for (const cursor of [forged, `${forged}.${page.cursor!.split('.')[1]}`, `${page.cursor}x`]) {
      await expect(overdueRecords(deps, { limit: 1, cursor }, ctxOf(LEADING_GROUP, '2026-11-01T09:00:00+08:00'))).rejects.toMatchObject({ code: 'request.cursor', category: 'validation' });
    }
  });
});

describe('my work: the live deadlines the caller\'s agency answers for', () => {
  const UNPOSTED = { posted: false };

  it('lists its own agency\'s, within its jurisdiction, nearest due first, each with its source, Beijing due time and a link to the case; reading is audited', async () => {
    const later = await projectWithPublishedNotice(table, '2026-09-03T10:00:00+08:00', undefined, UNPOSTED);
    const earlier = await projectWithPublishedNotice(table, '2026-09-01T10:00:00+08:00', undefined, UNPOSTED);
    const now = '2026-09-05T09:00:00+08:00';
    const meiwan = await myWork(deps, { limit: 10 }, ctxOf(AGENTS.meiwan, now));
    expect(meiwan.items.map((w) => [w.caseId, w.ruleId])).toEqual([[earlier.project.id, 'notice-posting/g1'], [later.project.id, 'notice-posting/g1']]);
    const first = meiwan.items[0]!;
    expect(first).toMatchObject({ caseKind: 'project', link: { kind: 'project', id: earlier.project.id }, jurisdiction: 'yongzhou/lengshuitan/meiwan', overdue: false, clock: 'agency-deadline' });
    expect(first.source).toContain('§');
    expect(first.step).toContain('梅湾村一组');
    expect(first.dueBeijing).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
    expect(Date.parse(first.dueBeijing)).toBe(Date.parse(first.dueAt));
    expect((await myWork(deps, { limit: 10 }, ctxOf(AGENTS.yitang, now))).items.map((w) => w.ruleId)).toEqual(['notice-posting/g2', 'notice-posting/g2']);
    // The plan is the land bureau's: its district branch and the city bureau see it; another district's branch does not.
    expect((await myWork(deps, { limit: 10 }, ctxOf(AGENTS.landBranch, now))).items.map((w) => w.ruleId)).toEqual(['implementation-plan', 'implementation-plan']);
    expect((await myWork(deps, { limit: 10 }, ctxOf(AGENTS.landBureau, now))).items).toHaveLength(2);
    expect((await myWork(deps, { limit: 10 }, ctxOf(AGENTS.etdzBranch, now))).items).toEqual([]);
    expect((await myWork(deps, { limit: 10 }, ctxOf(AGENTS.legal, now))).items).toEqual([]);
    expect(table.audit.filter((a) => a.action === 'my-work.read')).toHaveLength(6);
  });

  it('says overdue by the server\'s clock, keeps an overdue step listed until it is done, and pages with a cursor', async () => {
    const { project, plan } = await projectWithPublishedNotice(table, '2026-09-01T10:00:00+08:00', undefined, UNPOSTED);
    const worker = deadlinesDepsOn(table, { alerts: new RecordingAlerts(), scheduler, newId: sequentialIds });
    await fallDueTask(worker, { caseId: project.id, ruleId: 'implementation-plan' }, new Date(Date.parse(plan.dueAt) + 1), 'r1');
    const before = await myWork(deps, { limit: 10 }, ctxOf(AGENTS.landBranch, new Date(Date.parse(plan.dueAt) - 1)));
    const after = await myWork(deps, { limit: 10 }, ctxOf(AGENTS.landBranch, new Date(Date.parse(plan.dueAt) + 1)));
    expect(before.items.map((w) => w.overdue)).toEqual([false]);
    expect(after.items.map((w) => w.overdue)).toEqual([true]);
    const page = await myWork(deps, { limit: 1 }, ctxOf(AGENTS.landBureau, '2026-11-01T09:00:00+08:00'));
    expect(page.cursor).toBeUndefined();
    await projectWithPublishedNotice(table, '2026-09-02T10:00:00+08:00', undefined, UNPOSTED);
    const one = await myWork(deps, { limit: 1 }, ctxOf(AGENTS.meiwan, '2026-09-05T09:00:00+08:00'));
    const two = await myWork(deps, { limit: 1, cursor: one.cursor }, ctxOf(AGENTS.meiwan, '2026-09-05T09:00:00+08:00'));
    expect([...one.items, ...two.items].map((w) => w.caseId)).toHaveLength(2);
    expect(one.items[0]!.dueAt < two.items[0]!.dueAt).toBe(true);
    await expect(myWork(deps, { limit: 1, cursor: `${one.cursor}x` }, ctxOf(AGENTS.meiwan, '2026-09-05T09:00:00+08:00'))).rejects.toMatchObject({ code: 'request.cursor' });
  });

  it('links a household\'s payment clock to the household, an enforcement clock to its chain, an incident to the incident', async () => {
    const watches = caseKernel(table).watches;
    const { plan } = await projectWithPublishedNotice(table, '2026-09-01T10:00:00+08:00', undefined, UNPOSTED);
    const base = { ...plan, responsibleAgency: 'finance' as const, jurisdiction: 'yongzhou/lengshuitan' };
    await table.commit([
      asTableWrite(watches.save({ ...base, caseId: 'H1', projectId: 'P1', phase: 'payment', ruleId: 'compensation-payment', caseLabel: '梅湾村一组 001 号户' }, 'absent')),
      asTableWrite(watches.save({ ...base, caseId: 'H2', projectId: 'P1', phase: 'enforcement-decisions', ruleId: 'x' }, 'absent')),
      asTableWrite(watches.save({ ...base, caseId: 'I1', projectId: 'P1', caseKind: 'incident', phase: 'incident', ruleId: 'y' }, 'absent')),
    ], []);
    const items = (await myWork(deps, { limit: 10 }, ctxOf(AGENTS.finance, '2026-09-05T09:00:00+08:00'))).items;
    expect(items.map((w) => [w.caseKind, w.link])).toEqual([
      ['household', { kind: 'household', id: 'H1' }],
      ['household', { kind: 'enforcement', id: 'H2' }],
      ['incident', { kind: 'incident', id: 'I1' }],
    ]);
    expect(items[0]).toMatchObject({ caseLabel: '梅湾村一组 001 号户', projectId: 'P1' });
  });

  it('reads a bounded number of index pages for a branch whose jurisdiction holds few of its agency\'s deadlines: a short page with a cursor', async () => {
    const watches = caseKernel(table).watches;
    const { deadlines } = await projectWithPublishedNotice(table, '2026-09-01T10:00:00+08:00', undefined, UNPOSTED);
    const posting = deadlines.find((d) => d.ruleId === 'notice-posting/g2')!;
    // Seven yitang deadlines due before the one meiwan deadline.
    await table.commit(Array.from({ length: 7 }, (_, i) => asTableWrite(watches.save({ ...posting, caseId: `Y${i}`, dueAt: `2026-09-0${i + 1}T16:00:00.000Z` }, 'absent'))), []);
    const now = '2026-09-01T12:00:00+08:00';
    const first = await myWork(deps, { limit: 1 }, ctxOf(AGENTS.meiwan, now));
    expect(first.items).toEqual([]);
    expect(first.cursor).toBeDefined();
    expect(MAX_INDEX_READS).toBe(5);
    const second = await myWork(deps, { limit: 1, cursor: first.cursor }, ctxOf(AGENTS.meiwan, now));
    expect(second.items.map((w) => w.ruleId)).toEqual(['notice-posting/g1']);
  });
});

describe('alerts: the overdue alerts addressed to the caller\'s agency', () => {
  async function missed(publishedAt: string, ruleIds: string[]) {
    const { project, deadlines } = await projectWithPublishedNotice(table, publishedAt, undefined, { posted: false });
    const worker = deadlinesDepsOn(table, { alerts: new RecordingAlerts(), scheduler, newId: sequentialIds });
    for (const ruleId of ruleIds) {
      const due = deadlines.find((d) => d.ruleId === ruleId)!;
      await fallDueTask(worker, { caseId: project.id, ruleId }, new Date(Date.parse(due.dueAt) + 1), 'r');
    }
    return project.id;
  }

  it('shows the responsible agency its own misses within its jurisdiction, and the leading group office every one, newest first', async () => {
    const first = await missed('2026-09-01T10:00:00+08:00', ['implementation-plan', 'notice-posting/g1', 'notice-posting/g2']);
    const now = '2026-11-01T09:00:00+08:00';
    const meiwan = await alertsFor(deps, { limit: 10 }, ctxOf(AGENTS.meiwan, now));
    expect(meiwan.items.map((a) => a.ruleId)).toEqual(['notice-posting/g1']);
    expect(meiwan.items[0]).toMatchObject({ agency: 'township', projectId: first, caseId: first, caseKind: 'project', link: { kind: 'project', id: first }, severity: 'warning', jurisdiction: 'yongzhou/lengshuitan/meiwan' });
    expect(meiwan.items[0]!.message).toContain('逾期');
    expect(Date.parse(meiwan.items[0]!.atBeijing)).toBe(Date.parse(meiwan.items[0]!.at));
    expect(Date.parse(meiwan.items[0]!.dueBeijing)).toBe(Date.parse(meiwan.items[0]!.dueAt));
    expect((await alertsFor(deps, { limit: 10 }, ctxOf(AGENTS.landBranch, now))).items.map((a) => a.ruleId)).toEqual(['implementation-plan']);
    expect((await alertsFor(deps, { limit: 10 }, ctxOf(AGENTS.etdzBranch, now))).items).toEqual([]);
    expect((await alertsFor(deps, { limit: 10 }, ctxOf(AGENTS.finance, now))).items).toEqual([]);
    const office = await alertsFor(deps, { limit: 10 }, ctxOf(LEADING_GROUP, now));
    expect(office.items.map((a) => a.ruleId)).toEqual(['implementation-plan', 'notice-posting/g2', 'notice-posting/g1']);
    expect(office.items.map((a) => a.at)).toEqual(office.items.map((a) => a.at).sort().reverse());
    expect(table.audit.filter((a) => a.action === 'alerts.read')).toHaveLength(5);
  });

  it('polls with since (only newer), and pages', async () => {
    await missed('2026-09-01T10:00:00+08:00', ['implementation-plan']);
    const now = '2026-11-01T09:00:00+08:00';
    const seen = await alertsFor(deps, { limit: 10 }, ctxOf(LEADING_GROUP, now));
    expect(seen.items).toHaveLength(1);
    expect((await alertsFor(deps, { limit: 10, since: seen.items[0]!.at }, ctxOf(LEADING_GROUP, now))).items).toEqual([]);
    await missed('2026-09-03T10:00:00+08:00', ['implementation-plan']);
    const newer = await alertsFor(deps, { limit: 10, since: seen.items[0]!.at }, ctxOf(LEADING_GROUP, now));
    expect(newer.items).toHaveLength(1);
    expect(newer.cursor).toBeUndefined();
    expect(newer.items[0]!.at > seen.items[0]!.at).toBe(true);
    const one = await alertsFor(deps, { limit: 1 }, ctxOf(LEADING_GROUP, now));
    const two = await alertsFor(deps, { limit: 1, cursor: one.cursor }, ctxOf(LEADING_GROUP, now));
    expect([...one.items, ...two.items].map((a) => a.id)).toEqual([newer.items[0]!.id, seen.items[0]!.id]);
  });
});
