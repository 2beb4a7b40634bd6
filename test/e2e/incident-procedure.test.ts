import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { advanceClockTo, apiClient, publishNoticeViaApi, startTestCloud, schemaCheckedRoutes, WHO } from '../support/local-cloud.ts';

/**
 * Incidents and petitions end to end through the local HTTP API with real tokens, the deadline
 * workflow's real ASL timing the 2-hour clock on the virtual clock: two larger incidents reported
 * at 22:30 on National Day — the district leader reaches the first at 00:29 (met) and the second
 * at 00:45 (the clock ran out at 00:30, not at the end of the holiday: one critical SNS alert,
 * one record against the district) —, a general incident raised to major (the office asked for an
 * ad hoc joint meeting) with violent resistance referred to public security and the procuratorate,
 * and a household's petition handled and closed. Every incidents route's answer is held to its
 * declared (strict) schema.
 */
const CLOCK_START = '2026-10-01T20:00:00+08:00';
const PROCURATORATE = { agency: 'procuratorate', jurisdiction: 'yongzhou' };
const PETITIONS = { agency: 'petition-bureau', jurisdiction: 'yongzhou' };
const ETDZ_DISTRICT = { agency: 'district-government', jurisdiction: 'yongzhou/etdz' };

let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;
let projectId: string;
let routes: ReturnType<typeof schemaCheckedRoutes>;

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: CLOCK_START });
  call = apiClient(cloud);
  routes = schemaCheckedRoutes(call, 'incidents');
  ({ projectId } = await publishNoticeViaApi(call));
});
afterAll(async () => {
  await cloud?.stop();
});

type Who = { agency: string; jurisdiction: string };

const check = (key: string, who: Who, path: string, body?: unknown) => routes.check(key, who, path, body);

/** A refused act: its status and machine code with a Chinese message, and the incident unchanged. */
async function refused(who: Who, method: string, path: string, body: unknown, status: number, code: string, incidentId: string) {
  const before = await call(WHO.district, 'GET', `/incidents/${incidentId}`);
  const response = await call(who, method, path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error.code).toBe(code);
  expect(response.body.error.message).toMatch(/\p{Script=Han}/u);
  const after = await call(WHO.district, 'GET', `/incidents/${incidentId}`);
  expect(after.body.updatedAt).toBe(before.body.updatedAt);
  expect(after.body.clocks).toEqual(before.body.clocks);
}

const advanceTo = (instant: string) => advanceClockTo(cloud, instant);

async function photo(incidentId: string, who: Who, purpose: string): Promise<string> {
  const bytes = Buffer.from(`${purpose} ${incidentId} ${cloud.clock.now()} ${Math.random()}`);
  const slot = await check('POST /incidents/{incidentId}/uploads', who, `/incidents/${incidentId}/uploads`, { purpose, contentType: 'image/jpeg', fileName: 'p.jpg', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  expect((await fetch(slot.url, { method: 'PUT', headers: slot.headers, body: bytes })).status).toBe(200);
  return slot.uploadId as string;
}

const SITE = { address: '梅湾村一组滨江大道施工现场', latitude: 26.4312, longitude: 111.6067 };
const report = (overrides: Record<string, unknown> = {}) =>
  check('POST /projects/{projectId}/incidents', WHO.meiwan, `/projects/${projectId}/incidents`, {
    summary: '村民聚集阻挠施工',
    location: SITE,
    occurredAt: '2026-10-01T22:20:00+08:00',
    people: { count: 40, description: '村民约四十人' },
    class: 'larger',
    criterionId: 'crowd-30',
    reason: '聚集三十人以上',
    firstResponse: '街道干部到场劝导，疏导围观人员',
    ...overrides,
  });

const arrive = async (incidentId: string, arrivedAt: string) =>
  check('POST /incidents/{incidentId}/leader-on-site', WHO.district, `/incidents/${incidentId}/leader-on-site`, {
    leaderName: '陈明',
    leaderTitle: '区长',
    arrivedAt,
    location: SITE,
    uploadIds: [await photo(incidentId, WHO.district, 'leader-on-site')],
  });

/** A Beijing instant of that minute (the virtual clock may stand a few milliseconds past it). */
const atMinute = (minute: string) => expect.stringMatching(new RegExp(`^${minute}:00(\\.\\d{1,3})?\\+08:00$`));
/** `instant` is at `expected` or within a second after it (the timer fires as the clock reaches it). */
const within = (instant: string, expected: string) => Date.parse(instant) - Date.parse(expected) >= 0 && Date.parse(instant) - Date.parse(expected) < 1_000;

const overdueAlerts = (incidentId: string) =>
  cloud.alerts().filter((m) => m.messageAttributes?.kind?.Value === 'deadline-overdue' && m.message.includes(incidentId));

it('the 2-hour clock on a holiday night, classification, referrals and a petition, through the API', { timeout: 240_000 }, async () => {
  // The leading group office sets the criteria the classes are chosen by.
  const criteria = [
    { id: 'crowd-under-30', class: 'general', zh: '聚集不足三十人，无肢体冲突' },
    { id: 'crowd-30', class: 'larger', zh: '聚集三十人以上或阻断施工道路' },
    { id: 'violence', class: 'major', zh: '发生伤亡、暴力抗拆或群体性冲突' },
  ];
  expect(await check('GET /incident-criteria', WHO.meiwan, '/incident-criteria')).toEqual({ revision: 0, criteria: [] });
  expect(await check('PUT /incident-criteria', WHO.leadingGroup, '/incident-criteria', { criteria })).toMatchObject({ revision: 1 });
  expect((await check('GET /incident-criteria', WHO.meiwan, '/incident-criteria')).criteria).toHaveLength(3);

  // 22:30 on National Day: two larger incidents; the leader must be on site by 00:30, holiday or not.
  await advanceTo('2026-10-01T22:30:00+08:00');
  const first = await report();
  const second = await report({ summary: '村民阻断施工便道', occurredAt: '2026-10-01T22:25:00+08:00' });
  // Exactly 2 hours after the report reached the system (the virtual clock's instant, to the millisecond).
  for (const incident of [first, second]) {
    expect(incident.clocks).toEqual([expect.objectContaining({ key: 'emergency-on-site/1', status: 'open', dueAtBeijing: atMinute('2026-10-02T00:30'), responsibleAgency: 'district-government' })]);
    expect(Date.parse(incident.clocks[0].dueAt) - Date.parse(incident.reportedAt)).toBe(2 * 3_600_000);
  }
  const scene = await photo(first.incidentId, WHO.meiwan, 'scene');
  expect((await check('POST /incidents/{incidentId}/evidence', WHO.meiwan, `/incidents/${first.incidentId}/evidence`, { uploadIds: [scene] })).evidence).toHaveLength(1);

  // Bad input and the wrong agency are refused, writing nothing.
  await refused(WHO.district, 'POST', `/incidents/${first.incidentId}/leader-on-site`, { leaderName: '陈明', leaderTitle: '区长', arrivedAt: '2026-10-01T23:00:00+08:00', location: SITE }, 400, 'request.invalid', first.incidentId);
  await refused(WHO.meiwan, 'POST', `/incidents/${first.incidentId}/classification`, { class: 'general', reason: '已平息' }, 403, 'forbidden.agency', first.incidentId);
  await refused(WHO.district, 'POST', `/incidents/${first.incidentId}/classification`, { class: 'general', reason: '已平息' }, 403, 'forbidden.agency', first.incidentId);
  await refused(ETDZ_DISTRICT, 'POST', `/incidents/${first.incidentId}/close`, { outcome: '已劝散' }, 403, 'forbidden.jurisdiction', first.incidentId);
  await refused(WHO.district, 'POST', `/incidents/${first.incidentId}/close`, { outcome: '已劝散' }, 422, 'incident.leader-not-on-site', first.incidentId);

  // The first: the leader arrives at 00:29, one minute early.
  await advanceTo('2026-10-02T00:29:00+08:00');
  expect((await arrive(first.incidentId, '2026-10-02T00:29:00+08:00')).clocks[0]).toMatchObject({ status: 'met' });

  // The second: at 00:30 the workflow finds no leader — one critical alert, one record against the district.
  await advanceTo('2026-10-02T00:31:00+08:00');
  const late = await check('GET /incidents/{incidentId}', WHO.leadingGroup, `/incidents/${second.incidentId}`);
  expect(late.clocks[0]).toMatchObject({ status: 'overdue' });
  expect(within(late.clocks[0].alertedAt, late.clocks[0].dueAt)).toBe(true);
  const [alert, ...more] = overdueAlerts(second.incidentId);
  expect(more).toEqual([]);
  expect(alert!.messageAttributes).toMatchObject({ severity: { Value: 'critical' }, project: { Value: projectId }, kind: { Value: 'deadline-overdue' } });
  const agencies = JSON.parse(alert!.messageAttributes.agency!.Value as string);
  expect(agencies).toEqual(expect.arrayContaining(['district-government', 'leading-group-office']));
  const body = JSON.parse(alert!.message);
  expect(body.message).toMatch(/突发事件.*较大突发事件区主要负责人到场处置”应于2026年10月2日00:30（北京时间）前完成.*区人民政府.*§五\(三\)/);
  expect(overdueAlerts(first.incidentId)).toEqual([]);
  await advanceTo('2026-10-02T00:45:00+08:00');
  expect((await arrive(second.incidentId, '2026-10-02T00:45:00+08:00')).clocks[0]).toMatchObject({ status: 'met-late' });
  await advanceTo('2026-10-02T03:00:00+08:00');
  expect(overdueAlerts(second.incidentId)).toHaveLength(1);
  const overdue = (await call(WHO.leadingGroup, 'GET', '/performance/overdue')).body.items;
  expect(overdue.filter((r: { caseId: string }) => r.caseId === second.incidentId)).toEqual([expect.objectContaining({ agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan', ruleId: 'emergency-on-site/1' })]);
  expect(overdue.filter((r: { caseId: string }) => r.caseId === first.incidentId)).toEqual([]);
  for (const incident of [first, second]) {
    expect((await check('POST /incidents/{incidentId}/close', WHO.district, `/incidents/${incident.incidentId}/close`, { outcome: '人员已疏散，施工恢复' })).status).toBe('closed');
  }

  // A general incident turns major: the office is asked for an ad hoc joint meeting; violence is referred.
  await advanceTo('2026-10-02T09:00:00+08:00');
  const third = await report({ class: 'general', criterionId: 'crowd-under-30', reason: '少数村民围观', summary: '村民围观拆除作业', occurredAt: '2026-10-02T08:50:00+08:00' });
  expect(third.clocks).toEqual([]);
  await check('POST /incidents/{incidentId}/first-response', WHO.meiwan, `/incidents/${third.incidentId}/first-response`, { actions: '设置警戒线，劝离围观人员', at: '2026-10-02T08:55:00+08:00', uploadIds: [await photo(third.incidentId, WHO.meiwan, 'first-response')] });
  await advanceTo('2026-10-02T09:20:00+08:00');
  const major = await check('POST /incidents/{incidentId}/classification', WHO.district, `/incidents/${third.incidentId}/classification`, { class: 'major', criterionId: 'violence', reason: '有人持械阻挠，一人受伤' });
  expect(major).toMatchObject({ class: 'major' });
  expect(within(major.jointMeetingRequestedAt, '2026-10-02T09:20:00+08:00')).toBe(true);
  expect(major.clocks).toEqual([expect.objectContaining({ status: 'open', dueAtBeijing: atMinute('2026-10-02T11:20') })]);
  const referred = await check('POST /incidents/{incidentId}/referrals', WHO.meiwan, `/incidents/${third.incidentId}/referrals`, { description: '有人持械阻挠拆除，致一名工作人员受伤' });
  expect(referred.referrals.map((r: { agency: string }) => r.agency)).toEqual(['public-security', 'procuratorate']);
  for (const who of [WHO.police, PROCURATORATE]) {
    const inbox = (await call(who, 'GET', '/inbox')).body.items;
    expect(inbox.filter((e: { kind: string; data: { incidentId: string } }) => e.kind === 'incident-referred' && e.data.incidentId === third.incidentId)).toHaveLength(1);
  }
  const office = (await call(WHO.leadingGroup, 'GET', '/inbox')).body.items;
  expect(office.find((e: { kind: string; data: { incidentId: string; class: string } }) => e.kind === 'incident-classified' && e.data.incidentId === third.incidentId)).toMatchObject({ data: { class: 'major', from: 'general' } });
  await advanceTo('2026-10-02T10:05:00+08:00');
  expect((await arrive(third.incidentId, '2026-10-02T10:05:00+08:00')).clocks[0]).toMatchObject({ status: 'met' });
  // The procuratorate reads the incidents it supervises (in report order; the first two were reported at the same instant).
  const listed = await check('GET /projects/{projectId}/incidents', PROCURATORATE, `/projects/${projectId}/incidents`);
  expect(listed.items.map((i: { incidentId: string }) => i.incidentId).sort()).toEqual([first.incidentId, second.incidentId, third.incidentId].sort());
  expect(listed.items.at(-1).incidentId).toBe(third.incidentId);

  // A household's petition: the district handles it, the petition bureau guides, closed with its outcome.
  const petition = await check('POST /projects/{projectId}/petitions', WHO.meiwan, `/projects/${projectId}/petitions`, { kind: 'dispute', channel: 'visit', raisedBy: '张三', summary: '对青苗补偿标准有异议', receivedAt: '2026-10-02T09:30:00+08:00' });
  expect(petition).toMatchObject({ status: 'open', assignedTo: { agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan' } });
  await check('POST /petitions/{petitionId}/progress', PETITIONS, `/petitions/${petition.petitionId}/progress`, { note: '请区政府会同国土分局解释补偿标准' });
  await check('POST /petitions/{petitionId}/close', WHO.district, `/petitions/${petition.petitionId}/close`, { outcome: '已解释标准并书面答复，当事人表示理解' });
  expect(await check('GET /petitions/{petitionId}', PETITIONS, `/petitions/${petition.petitionId}`)).toMatchObject({ status: 'closed', steps: [expect.objectContaining({ note: expect.stringContaining('补偿标准') })] });
  expect((await check('GET /projects/{projectId}/petitions', WHO.district, `/projects/${projectId}/petitions`)).items).toHaveLength(1);

  expect([...routes.checked].sort()).toEqual([...routes.routes.keys()].sort());
});
