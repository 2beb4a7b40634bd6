import { beforeEach, describe, expect, it } from 'vitest';
import { incidentClassifiedV1 } from '../../../events/incident-classified.v1.ts';
import { incidentReferredV1 } from '../../../events/incident-referred.v1.ts';
import { incidentReportedV1 } from '../../../events/incident-reported.v1.ts';
import { leaderOnSiteV1 } from '../../../events/leader-on-site.v1.ts';
import { petitionAssignedV1 } from '../../../events/petition-assigned.v1.ts';
import { deadlineOverdueV1 } from '../../../events/deadline-overdue.v1.ts';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import type { Identity } from '../../../shared/identity.ts';
import { deadlinesDepsOn } from '../../deadlines/adapters/deps.ts';
import { fallDueTask } from '../../deadlines/app/use-cases.ts';
import { noticesDepsOn } from '../../notices/adapters/deps.ts';
import { readInbox } from '../../notices/app/use-cases.ts';
import { expectRefused } from '../../../test/support/compensation.ts';
import { AGENTS, ctxOf, declare, MemoryBucket, RecordingAlerts, RecordingScheduler, sequentialIds } from '../../../test/support/fakes.ts';
import { projectWithPublishedNotice } from '../../../test/support/procedure.ts';
import { incidentsDepsOn } from '../adapters/deps.ts';
import {
  classifyIncident,
  closeProjectIncident,
  readIncident,
  recordIncidentLeaderOnSite,
  referIncidentViolence,
  reportProjectIncident,
  requestIncidentUpload,
  reviseIncidentCriteria,
} from './incidents.ts';
import { closeProjectPetition, readPetition, recordPetitionProgress, recordProjectPetition } from './petitions.ts';

/**
 * The incident use cases on the memory table, with the deadline worker that judges the 2-hour
 * clock: hours are exact (a National Day night moves nothing), one minute early is met and one
 * minute late is a miss alerted once as critical and recorded against the district; the class is
 * the leading group office's to lower; nothing is written on a refusal.
 */
let store: MemoryTable;
let bucket: MemoryBucket;
let scheduler: RecordingScheduler;
let alerts: RecordingAlerts;
let deps: ReturnType<typeof incidentsDepsOn>;
let projectId: string;
const world = () => ({ store, bucket });
const OFFICE: Identity = { user: 'lin.lgo', agency: 'leading-group-office', jurisdiction: 'yongzhou' };
const PETITIONS: Identity = { user: 'xu.pb', agency: 'petition-bureau', jurisdiction: 'yongzhou' };
const PROCURATORATE: Identity = { user: 'fang.pr', agency: 'procuratorate', jurisdiction: 'yongzhou' };
const ETDZ: Identity = { user: 'ma.dg', agency: 'district-government', jurisdiction: 'yongzhou/etdz' };
/** National Day 2026, a holiday: 22:30 Beijing. */
const HOLIDAY_NIGHT = '2026-10-01T22:30:00+08:00';
const bj = (text: string) => new Date(text);

const report = (overrides: Record<string, unknown> = {}, who: Identity = AGENTS.meiwan, at = HOLIDAY_NIGHT) =>
  reportProjectIncident(
    deps,
    projectId,
    {
      householdIds: [],
      summary: '部分村民聚集阻挠施工',
      location: { address: '梅湾村一组施工现场', latitude: 26.43, longitude: 111.61 },
      occurredAt: '2026-10-01T22:10:00+08:00',
      people: { count: 40, description: '村民约四十人' },
      class: 'larger',
      reason: '聚集人数超过三十人',
      ...overrides,
    } as never,
    ctxOf(who, at),
  );

async function photo(incidentId: string, who: Identity, at: string, purpose: 'scene' | 'leader-on-site' = 'leader-on-site'): Promise<string> {
  const body = Buffer.from(`${purpose} ${incidentId} ${at} ${Math.random()}`);
  const slot = await requestIncidentUpload(deps, incidentId, { purpose, fileName: 'p.jpg', ...declare(body) }, ctxOf(who, at));
  bucket.upload(slot.url.replace(/^memory:\/\//, ''), body, 'image/jpeg');
  return slot.uploadId;
}

const arrive = async (incidentId: string, arrivedAt: string, recordedAt = arrivedAt) =>
  recordIncidentLeaderOnSite(
    deps,
    incidentId,
    { leaderName: '陈明', leaderTitle: '区长', arrivedAt, location: { address: '梅湾村一组施工现场', latitude: 26.43, longitude: 111.61 }, uploadIds: [await photo(incidentId, AGENTS.district, recordedAt)] },
    ctxOf(AGENTS.district, recordedAt),
  );

/** The deadline worker's timer for the incident's clock fires at `at`. */
const fire = (incidentId: string, at: string, key = 'emergency-on-site/1') =>
  fallDueTask(deadlinesDepsOn(store, { alerts, scheduler, newId: sequentialIds }), { caseId: incidentId, ruleId: key }, bj(at), 'timer');

/** The agency's inbox (newest first), as the notices service serves it. */
const inboxOf = (who: Identity, at: string) => readInbox(noticesDepsOn(store, { evidence: bucket, scheduler, newId: sequentialIds }), { limit: 20 }, ctxOf(who, at));

const overdueRecords = async () => (await deadlinesDepsOn(store, { alerts, scheduler, newId: sequentialIds }).performance.page({ limit: 50 })).items;

beforeEach(async () => {
  store = new MemoryTable();
  bucket = new MemoryBucket();
  scheduler = new RecordingScheduler();
  alerts = new RecordingAlerts();
  deps = incidentsDepsOn(store, { scheduler, evidence: bucket, newId: sequentialIds });
  projectId = (await projectWithPublishedNotice(store)).project.id;
});

describe('the 2-hour clock', () => {
  it('runs from the report, in exact hours: a National Day night moves nothing', async () => {
    const incident = await report();
    expect(incident.clocks).toEqual([expect.objectContaining({ key: 'emergency-on-site/1', status: 'open', dueAtBeijing: '2026-10-02T00:30:00+08:00', responsibleAgency: 'district-government' })]);
    expect(scheduler.started.at(-1)).toMatchObject({ caseId: incident.incidentId, phase: 'incident' });
  });

  it('a leader on site one minute early meets it: no alert, nothing recorded against anyone', async () => {
    const { incidentId } = await report();
    const met = await arrive(incidentId, '2026-10-02T00:29:00+08:00');
    expect(met.clocks[0]).toMatchObject({ status: 'met' });
    expect(await fire(incidentId, '2026-10-02T00:30:00+08:00')).toMatchObject({ status: 'met', judged: 'met-in-time' });
    expect(alerts.published).toEqual([]);
    expect(await overdueRecords()).toEqual([]);
  });

  it('one minute late is a miss: one critical alert to the district and the leading group office, one record against the district', async () => {
    const { incidentId } = await report();
    expect(await fire(incidentId, '2026-10-02T00:29:59+08:00')).toMatchObject({ status: 'not-yet-due' });
    expect(await fire(incidentId, '2026-10-02T00:30:00+08:00')).toMatchObject({ status: 'overdue', judged: 'missed' });
    await fire(incidentId, '2026-10-02T00:31:00+08:00');
    expect(alerts.published).toHaveLength(1);
    const [alert] = alerts.published;
    expect(deadlineOverdueV1.schema.safeParse(alert).success).toBe(true);
    expect(alert).toMatchObject({ severity: 'critical', agencies: expect.arrayContaining(['district-government', 'leading-group-office']), jurisdiction: 'yongzhou/lengshuitan', projectId });
    expect(alert!.message).toContain('突发事件');
    expect(alert!.message).toContain('应于2026年10月2日00:30（北京时间）前完成');
    expect(alert!.message).toContain('§五(三)');
    const late = await arrive(incidentId, '2026-10-02T00:31:00+08:00');
    expect(late.clocks[0]).toMatchObject({ status: 'met-late' });
    expect(await overdueRecords()).toEqual([expect.objectContaining({ agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan', caseId: incidentId, ruleId: 'emergency-on-site/1' })]);
    const told = await inboxOf(OFFICE, '2026-10-02T01:00:00+08:00');
    const onSite = told.items.find((e) => e.kind === 'leader-on-site')!;
    expect(leaderOnSiteV1.schema.safeParse(onSite).success).toBe(true);
    expect(onSite.data).toMatchObject({ late: true });
  });

  it('a general incident has no clock; raised to larger, it runs from the raise', async () => {
    const { incidentId } = await report({ class: 'general', reason: '少数村民围观' });
    expect((await readIncident(deps, incidentId, ctxOf(AGENTS.district, '2026-10-01T23:00:00+08:00'))).clocks).toEqual([]);
    const raised = await classifyIncident(deps, incidentId, { class: 'larger', reason: '人数增至五十人' }, ctxOf(AGENTS.district, '2026-10-01T23:10:00+08:00'));
    expect(raised.clocks).toEqual([expect.objectContaining({ status: 'open', dueAtBeijing: '2026-10-02T01:10:00+08:00' })]);
  });

  it('only the leading group office lowers it, which stops the clock for no one’s account; raising again starts a new one', async () => {
    const { incidentId } = await report();
    await expectRefused(world(), () => classifyIncident(deps, incidentId, { class: 'general', reason: '已平息' }, ctxOf(AGENTS.district, '2026-10-01T23:00:00+08:00')), { status: 403, code: 'forbidden.agency' });
    const lowered = await classifyIncident(deps, incidentId, { class: 'general', reason: '经核实为一般纠纷' }, ctxOf(OFFICE, '2026-10-01T23:00:00+08:00'));
    expect(lowered.clocks).toEqual([expect.objectContaining({ status: 'cancelled', cancelReason: expect.stringContaining('经核实为一般纠纷') })]);
    expect(await fire(incidentId, '2026-10-02T00:30:00+08:00')).toMatchObject({ status: 'cancelled' });
    const raised = await classifyIncident(deps, incidentId, { class: 'major', reason: '发生肢体冲突' }, ctxOf(AGENTS.district, '2026-10-02T01:00:00+08:00'));
    expect(raised.clocks.map((c) => [c.key, c.status, c.dueAtBeijing])).toEqual([
      ['emergency-on-site/1', 'cancelled', '2026-10-02T00:30:00+08:00'],
      ['emergency-on-site/2', 'open', '2026-10-02T03:00:00+08:00'],
    ]);
    expect(raised.jointMeetingRequestedAt).toBe(bj('2026-10-02T01:00:00+08:00').toISOString());
    const told = await inboxOf(OFFICE, '2026-10-02T01:05:00+08:00');
    const classified = told.items.filter((e) => e.kind === 'incident-classified');
    expect(classified).toHaveLength(2);
    for (const e of classified) expect(incidentClassifiedV1.schema.safeParse(e).success).toBe(true);
    expect(await overdueRecords()).toEqual([]);
  });

  it('cannot be closed before the leader comes while the 2 hours run; after the miss it can, and the miss stays', async () => {
    const { incidentId } = await report();
    await expectRefused(world(), () => closeProjectIncident(deps, incidentId, { outcome: '已劝散' }, ctxOf(AGENTS.district, '2026-10-02T00:00:00+08:00')), { status: 422, code: 'incident.leader-not-on-site' });
    await fire(incidentId, '2026-10-02T00:30:00+08:00');
    const closed = await closeProjectIncident(deps, incidentId, { outcome: '已劝散' }, ctxOf(AGENTS.district, '2026-10-02T01:00:00+08:00'));
    expect(closed).toMatchObject({ status: 'closed', clocks: [expect.objectContaining({ status: 'cancelled' })] });
    expect(await overdueRecords()).toHaveLength(1);
    await expectRefused(world(), () => arrive(incidentId, '2026-10-02T01:10:00+08:00'), { status: 409, code: 'incident.closed' });
  });
});

describe('reporting', () => {
  it('by the township where it happened, in the project; the district hears of every one, the office of a larger one', async () => {
    await expectRefused(world(), () => report({ township: 'yongzhou/lengshuitan/meiwan' }, AGENTS.yitang), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world(), () => report({}, ETDZ), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world(), () => report({}, AGENTS.police), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world(), () => report({ township: 'yongzhou/lengshuitan/shanhu' }, AGENTS.district), { status: 400, code: 'incident.township-unknown' });
    await expectRefused(world(), () => report({ householdIds: ['NOPE'] }), { status: 400, code: 'incident.household-unknown' });
    await expectRefused(world(), () => report({ occurredAt: '2026-10-01T23:00:00+08:00' }), { status: 400, code: 'incident.occurred-in-future' });
    await expectRefused(world(), () => report({ criterionId: 'crowd-30' }), { status: 400, code: 'incident.criterion-unknown' });
    const incident = await report();
    expect(incident).toMatchObject({ township: 'yongzhou/lengshuitan/meiwan', district: 'yongzhou/lengshuitan', status: 'open' });
    const district = await inboxOf(AGENTS.district, '2026-10-01T22:31:00+08:00');
    const office = await inboxOf(OFFICE, '2026-10-01T22:31:00+08:00');
    for (const e of [...district.items, ...office.items]) expect(incidentReportedV1.schema.safeParse(e).success).toBe(true);
    expect(district.items[0]!.text).toContain('区主要负责人须于 2026-10-02T00:30:00+08:00 前赶赴现场处置');
    expect(office.items[0]!.data).toMatchObject({ onSiteBy: bj('2026-10-02T00:30:00+08:00').toISOString() });
  });

  it('classes follow the leading group office’s criteria, each classification naming its revision', async () => {
    await expectRefused(world(), () => reviseIncidentCriteria(deps, { criteria: [{ id: 'x', class: 'general', zh: '一般' }] }, ctxOf(OFFICE, '2026-09-30T09:00:00+08:00')), { status: 400, code: 'incident.criteria-incomplete' });
    await expectRefused(world(), () => reviseIncidentCriteria(deps, { criteria: [] }, ctxOf(AGENTS.district, '2026-09-30T09:00:00+08:00')), { status: 403, code: 'forbidden.agency' });
    const criteria = [
      { id: 'crowd-under-30', class: 'general' as const, zh: '聚集不足三十人，无肢体冲突' },
      { id: 'crowd-30', class: 'larger' as const, zh: '聚集三十人以上或阻断道路' },
      { id: 'violence', class: 'major' as const, zh: '发生伤亡或暴力抗拆' },
    ];
    expect(await reviseIncidentCriteria(deps, { criteria }, ctxOf(OFFICE, '2026-09-30T09:00:00+08:00'))).toMatchObject({ revision: 1 });
    await expectRefused(world(), () => report({ criterionId: 'violence' }), { status: 400, code: 'incident.criterion-mismatch' });
    const incident = await report({ criterionId: 'crowd-30' });
    expect(incident.classifications).toEqual([expect.objectContaining({ class: 'larger', criterionId: 'crowd-30', criteriaRevision: 1 })]);
  });
});

describe('violent resistance and petitions', () => {
  it('referred once: public security and the procuratorate each get a task', async () => {
    const { incidentId } = await report({ class: 'major', reason: '暴力抗拆' });
    await expectRefused(world(), () => referIncidentViolence(deps, incidentId, { description: '持械阻挠' }, ctxOf(AGENTS.police, '2026-10-01T22:40:00+08:00')), { status: 403, code: 'forbidden.agency' });
    const referred = await referIncidentViolence(deps, incidentId, { description: '持械阻挠，致一人受伤' }, ctxOf(AGENTS.meiwan, '2026-10-01T22:40:00+08:00'));
    expect(referred.referrals.map((r) => r.agency)).toEqual(['public-security', 'procuratorate']);
    await expectRefused(world(), () => referIncidentViolence(deps, incidentId, { description: '再次' }, ctxOf(AGENTS.district, '2026-10-01T22:50:00+08:00')), { status: 409, code: 'incident.already-referred' });
    for (const who of [AGENTS.police, PROCURATORATE]) {
      const inbox = await inboxOf(who, '2026-10-01T23:00:00+08:00');
      const tasks = inbox.items.filter((e) => e.kind === 'incident-referred');
      expect(tasks).toHaveLength(1);
      expect(incidentReferredV1.schema.safeParse(tasks[0]).success).toBe(true);
    }
    expect((await readIncident(deps, incidentId, ctxOf(PROCURATORATE, '2026-10-01T23:00:00+08:00'))).referrals).toHaveLength(2);
  });

  it('a petition is the district’s, guided by the petition bureau, open until closed', async () => {
    const petition = await recordProjectPetition(deps, projectId, { kind: 'petition', channel: 'visit', raisedBy: '张三', summary: '对房屋面积认定有异议', receivedAt: '2026-10-08T09:00:00+08:00' }, ctxOf(AGENTS.meiwan, '2026-10-08T09:30:00+08:00'));
    expect(petition).toMatchObject({ status: 'open', assignedTo: { agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan' }, township: 'yongzhou/lengshuitan/meiwan' });
    for (const who of [AGENTS.district, PETITIONS]) {
      const inbox = await inboxOf(who, '2026-10-08T10:00:00+08:00');
      expect(petitionAssignedV1.schema.safeParse(inbox.items.find((e) => e.kind === 'petition-assigned')).success).toBe(true);
    }
    await expectRefused(world(), () => closeProjectPetition(deps, petition.petitionId, { outcome: '已答复' }, ctxOf(PETITIONS, '2026-10-09T09:00:00+08:00')), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world(), () => readPetition(deps, petition.petitionId, ctxOf(AGENTS.yitang, '2026-10-09T09:00:00+08:00')), { status: 403, code: 'forbidden.jurisdiction' });
    await recordPetitionProgress(deps, petition.petitionId, { note: '信访局：请区政府会同国土分局复核面积' }, ctxOf(PETITIONS, '2026-10-09T09:00:00+08:00'));
    const closed = await closeProjectPetition(deps, petition.petitionId, { outcome: '复核后维持原认定，已书面答复' }, ctxOf(AGENTS.district, '2026-10-12T09:00:00+08:00'));
    expect(closed).toMatchObject({ status: 'closed', steps: [expect.objectContaining({ note: expect.stringContaining('复核') })] });
    await expectRefused(world(), () => recordPetitionProgress(deps, petition.petitionId, { note: '再次' }, ctxOf(AGENTS.district, '2026-10-13T09:00:00+08:00')), { status: 409, code: 'petition.closed' });
  });
});
