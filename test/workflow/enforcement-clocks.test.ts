import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { idNumber } from '../../services/compensation/adapters/workbook/test-helpers.ts';
import { apiClient, PLAN_DRAFT, publishNoticeViaApi, startTestCloud, WHO } from '../support/local-cloud.ts';
import { planApprovedViaApi } from '../support/oversight.ts';

/**
 * The enforcement chain's clocks on the synthesized deadline workflow and the virtual clock, from
 * January 2025 (every period within the years the holiday data covers):
 * - a missed decision deadline is alerted once and counted against the land bureau;
 * - a lawsuit pending ten months suspends the chain: nothing runs, nothing alerts, every step is
 *   refused; after the judgement the chain goes on and, more than a year after it opened, still
 *   refuses the reminder one minute before the six months and allows it one minute after;
 * - a late court is alerted once to the leading group office (and the court) and scored against no one;
 * - urban management's illegal-building chain: forced demolition is refused until the remedy
 *   periods have run out unused, then executed on film.
 */
const URBAN = { agency: 'urban-management', jurisdiction: 'yongzhou/lengshuitan' };
const COURT = { agency: 'basic-court', jurisdiction: 'yongzhou/lengshuitan' };
const COURT_REF = { agency: 'basic-court', jurisdiction: 'yongzhou/lengshuitan', name: '冷水滩区人民法院' };
type Who = { agency: string; jurisdiction: string };

let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: '2025-01-06T09:00:00+08:00' });
  call = apiClient(cloud);
});
afterAll(async () => {
  await cloud?.stop();
});

const bj = (text: string) => new Date(`${text}+08:00`).toISOString();
async function at(instant: string): Promise<void> {
  const target = Date.parse(instant);
  if (target > cloud.clock.now()) await cloud.advance(target - cloud.clock.now());
}
async function ok(who: Who, method: string, path: string, body?: unknown, status = 200): Promise<any> {
  const response = await call(who, method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}
async function refusedWith(who: Who, method: string, path: string, body: unknown, code: string): Promise<void> {
  const response = await call(who, method, path, body);
  expect(response.status, JSON.stringify(response.body)).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.body.error.code).toBe(code);
}
async function file(chainId: string, who: Who, purpose: string, contentType = 'image/jpeg'): Promise<string> {
  const bytes = Buffer.from(`${purpose} ${chainId} ${cloud.clock.now()} ${Math.random()}`);
  const slot = await ok(who, 'POST', `/enforcement/${chainId}/uploads`, { purpose, contentType, fileName: 'f', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }, 201);
  expect((await fetch(slot.url, { method: 'PUT', headers: slot.headers, body: bytes })).status).toBe(200);
  return slot.uploadId as string;
}
async function issueAndServe(chainId: string, who: Who, kind: string, number: string, terms: Record<string, unknown>, extra: Record<string, unknown> = {}, service: Record<string, unknown> = {}) {
  const issued = await ok(who, 'POST', `/enforcement/${chainId}/instruments`, { kind, number, terms, ...extra }, 201);
  const instrumentId = issued.instruments.at(-1).instrumentId as string;
  const served = await ok(who, 'POST', `/enforcement/${chainId}/instruments/${instrumentId}/service`, {
    method: 'in-person',
    deliveredAt: new Date(cloud.clock.now()).toISOString(),
    servedBy: '刘一',
    remediesStated: true,
    uploadIds: [await file(chainId, who, 'service-proof')],
    ...service,
  }, 201);
  return { instrumentId, served };
}
const overdueAlerts = (projectId: string, rule: string) =>
  cloud.alerts().filter((m) => m.messageAttributes?.project?.Value === projectId && m.messageAttributes?.kind?.Value === 'deadline-overdue' && JSON.stringify(m).includes(rule));

it('a chain longer than a year: a missed deadline alerted once, ten months of lawsuit, the six months kept to the minute, a late court shown not scored; and an illegal building demolished only after the remedy periods', async () => {
  const { projectId } = await publishNoticeViaApi(call);
  await ok(WHO.landBranch, 'PUT', `/projects/${projectId}/plan`, PLAN_DRAFT);
  await ok(WHO.legal, 'POST', `/projects/${projectId}/plan/review`, { decision: 'approve' });
  await planApprovedViaApi(cloud, call, projectId);
  await ok(WHO.landBranch, 'POST', `/projects/${projectId}/plan/publish`);
  const household = async (number: string, headName: string) =>
    (await ok(WHO.meiwan, 'POST', `/projects/${projectId}/households`, { villageGroupId: 'g1', householdNumber: number, headName, members: [{ name: headName, relation: '户主', idNumber: idNumber('1960-02-02', Number(number)), dateOfBirth: '1960-02-02' }] }, 201)).householdId as string;
  const householdId = await household('041', '周九');
  const builderId = await household('042', '吴十');

  // Monday 6 January 2025: the notification served; the decision allowed from Thursday 16 January.
  const chainId = (await ok(WHO.landBranch, 'POST', `/households/${householdId}/enforcement`, { kind: 'vacating' }, 201)).chainId as string;
  const terms = { facts: '未签订协议', compensationFen: 20_000_000, compensationText: '按实施方案标准' };
  const { served } = await issueAndServe(chainId, WHO.landBranch, 'compensation-notification', '冷国土强告〔2025〕9号', terms);
  expect(served.next.allowedFromBeijing).toBe('2025-01-16T00:00:00+08:00');
  // 10 days from 16 January: Saturday 25 January rolls to Sunday 26, a worked day before Spring Festival.
  const decisionClock = served.clocks.find((c: { ruleId: string }) => c.ruleId === 'compensation-decision');
  expect(decisionClock).toMatchObject({ status: 'open', dueAt: '2025-01-26T16:00:00.000Z' });

  // The illegal building beside it: urban management decides and posts the notice (10 days to demolish).
  const demolition = (await ok(URBAN, 'POST', `/households/${builderId}/enforcement`, { kind: 'illegal-building', itemId: 'house-2', determination: '冷住建违认〔2025〕3号' }, 201)).chainId as string;
  await issueAndServe(demolition, URBAN, 'demolition-decision', '冷城管拆决〔2025〕1号', { facts: '未经规划许可建设', performWithin: '10d' });
  await at(bj('2025-01-07T10:00:00'));
  const posted = (await issueAndServe(demolition, URBAN, 'demolition-notice', '冷城管拆告〔2025〕1号', { facts: '限期自行拆除', performWithin: '10d' }, {}, { method: 'left-at-residence' })).served;
  // The remedy periods on the decision served 6 January run to Monday 7 July (the 6th is a Sunday).
  expect(posted.demolitionAllowedFrom).toBe('2025-07-07T16:00:00.000Z');

  // The land bureau misses the decision's deadline: one alert, one record against it — still one a week later.
  await at('2025-01-26T16:01:00.000Z');
  expect(overdueAlerts(projectId, 'compensation-decision')).toHaveLength(1);
  await cloud.advance(7 * 24 * 3_600_000);
  expect(overdueAlerts(projectId, 'compensation-decision')).toHaveLength(1);
  const decision = await issueAndServe(chainId, WHO.landBranch, 'compensation-decision', '冷国土强决〔2025〕9号', terms);
  expect(decision.served.clocks.find((c: { ruleId: string }) => c.ruleId === 'compensation-decision')).toMatchObject({ status: 'met-late' });

  // 10 February 2025: the household sues. Ten months pending: every step refused, nothing alerted.
  await at(bj('2025-02-10T10:00:00'));
  const sued = await ok(WHO.legal, 'POST', `/enforcement/${chainId}/remedies`, { kind: 'lawsuit', instrumentId: decision.instrumentId, filedAt: new Date(cloud.clock.now()).toISOString(), body: '冷水滩区人民法院' }, 201);
  expect(sued.status).toBe('suspended');
  // The project's alerts (the leading group's own monthly meeting duty alerts on its own account).
  const projectAlerts = () => cloud.alerts().filter((m) => m.messageAttributes?.project?.Value === projectId).length;
  const alertsBefore = projectAlerts();
  await at(bj('2025-07-07T09:00:00'));
  await refusedWith(WHO.landBranch, 'POST', `/enforcement/${chainId}/instruments`, { kind: 'vacating-notice', number: 'X', terms: { facts: 'f' } }, 'enforcement.suspended');

  // Meanwhile the illegal building: refused on Monday 7 July, demolished on Tuesday 8 July, on film.
  const plan = (plannedFor: string) => ({ plannedFor, participants: [{ agency: 'urban-management', jurisdiction: 'yongzhou/lengshuitan', role: '拆除' }], measures: ['site-cordon', 'demolition', 'video-recording'] });
  await refusedWith(WHO.leadingGroup, 'POST', `/enforcement/${demolition}/joint-action`, plan(bj('2025-07-07T15:00:00')), 'enforcement.waiting-period');
  await ok(WHO.leadingGroup, 'POST', `/enforcement/${demolition}/joint-action`, plan(bj('2025-07-08T09:00:00')), 201);
  await at(bj('2025-07-08T12:00:00'));
  await ok(URBAN, 'POST', `/enforcement/${demolition}/execution`, { startedAt: bj('2025-07-08T09:00:00'), endedAt: bj('2025-07-08T11:30:00'), summary: '违法建筑已拆除', uploadIds: [await file(demolition, URBAN, 'execution-video', 'video/mp4')] }, 201);
  expect(await ok(WHO.landBranch, 'POST', `/enforcement/${demolition}/handover`, { at: new Date(cloud.clock.now()).toISOString(), uploadIds: [await file(demolition, WHO.landBranch, 'handover-photo')] }, 201)).toMatchObject({ status: 'ended', ended: { reason: 'executed' } });

  // December 2025: the judgement (upheld) is served on the 10th; ten months on, still no alert.
  await at(bj('2025-12-11T09:00:00'));
  expect(projectAlerts()).toBe(alertsBefore);
  await ok(WHO.legal, 'POST', `/enforcement/${chainId}/remedies/${sued.remedies[0].remedyId}/outcome`, {
    result: 'upheld',
    decidedAt: bj('2025-12-05T10:00:00'),
    servedAt: bj('2025-12-10T10:00:00'),
    summary: '驳回诉讼请求，判决已生效',
    uploadIds: [await file(chainId, WHO.legal, 'remedy-document', 'application/pdf')],
  });
  const notice = await issueAndServe(chainId, WHO.landBranch, 'vacating-notice', '冷国土腾通〔2025〕9号', { facts: '拒不腾地' });
  // Its 7 working days end on Monday 22 December; the decision is due 10 days on — 1 January 2026
  // is New Year, so Sunday 4 January (a worked day). The land bureau misses that too: one alert.
  const vacatingClock = notice.served.clocks.find((c: { ruleId: string }) => c.ruleId === 'vacating-decision');
  expect(vacatingClock).toMatchObject({ status: 'open', dueAt: '2026-01-04T16:00:00.000Z' });
  await at('2026-01-05T09:00:00+08:00');
  expect(overdueAlerts(projectId, 'vacating-decision')).toHaveLength(1);
  await issueAndServe(chainId, WHO.landBranch, 'vacating-decision', '冷国土腾决〔2026〕9号', { facts: '拒不腾地', performWithin: '15d' });

  // More than a year after the chain opened: the reminder is refused a minute before six months
  // from the decision's service (Sunday 5 July 2026 → Monday 6 July ends them), allowed a minute after.
  const reminder = { kind: 'performance-reminder', number: '冷国土催〔2026〕9号', terms: { facts: '未履行', performWithin: '10d', manner: '自行搬离' } };
  const view = await ok(WHO.landBranch, 'GET', `/enforcement/${chainId}`);
  expect(view.next.allowedFrom).toBe('2026-07-06T16:00:00.000Z');
  await at(new Date(Date.parse(view.next.allowedFrom) - 60_000).toISOString());
  await refusedWith(WHO.landBranch, 'POST', `/enforcement/${chainId}/instruments`, reminder, 'enforcement.waiting-period');
  await cloud.advance(2 * 60_000);
  const reminded = await issueAndServe(chainId, WHO.landBranch, reminder.kind, reminder.number, reminder.terms);
  await at(reminded.served.next.allowedFrom);
  await cloud.advance(9 * 3_600_000);
  const applied = await issueAndServe(chainId, WHO.landBranch, 'court-application', '冷国土申〔2026〕9号', { facts: '经催告仍不履行' }, { court: COURT_REF }, { materialUploadIds: [await file(chainId, WHO.landBranch, 'court-materials', 'application/pdf')] });
  const acceptance = applied.served.clocks.find((c: { ruleId: string }) => c.ruleId === 'court-acceptance');
  expect(acceptance).toMatchObject({ status: 'open', responsibleAgency: 'basic-court' });

  // The court does not decide in 5 working days: the leading group office is told once; no one is scored.
  await at(new Date(Date.parse(acceptance.dueAt) + 60_000).toISOString());
  const late = overdueAlerts(projectId, 'court-acceptance');
  expect(late).toHaveLength(1);
  expect(JSON.stringify(late[0])).toContain('不计入');
  await cloud.advance(3 * 24 * 3_600_000);
  expect(overdueAlerts(projectId, 'court-acceptance')).toHaveLength(1);
  const accepted = await ok(COURT, 'POST', `/enforcement/${chainId}/court/acceptance`, { accepted: true, at: new Date(cloud.clock.now()).toISOString(), caseNumber: '（2026）湘1103行审9号' });
  // Nor does it rule within 7 working days: told once more, scored never.
  const ruling = accepted.clocks.find((c: { ruleId: string }) => c.ruleId === 'court-ruling');
  await at(new Date(Date.parse(ruling.dueAt) + 60_000).toISOString());
  expect(overdueAlerts(projectId, 'court-ruling')).toHaveLength(1);

  const records = (await ok(WHO.leadingGroup, 'GET', '/performance/overdue')).items.filter((r: { caseId: string }) => r.caseId === householdId);
  expect(records.map((r: { agency: string; ruleId: string }) => [r.agency, r.ruleId]).sort()).toEqual([
    ['land-bureau', `enforcement/${chainId}/compensation-decision/r1`],
    ['land-bureau', `enforcement/${chainId}/vacating-decision/r1`],
  ]);
});
