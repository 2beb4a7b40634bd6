import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { idNumber } from '../../services/compensation/adapters/workbook/test-helpers.ts';
import { advanceClockTo, apiClient, PLAN_DRAFT, publishNoticeViaApi, startTestCloud, schemaCheckedRoutes, WHO } from '../support/local-cloud.ts';
import { planApprovedViaApi } from '../support/oversight.ts';

/**
 * The forced-vacating chain (seed §五(一)5) end to end through the local HTTP API with real tokens,
 * on the virtual clock from September 2025 (every period lands in years the holiday data covers):
 * a household that never signs gets every instrument as a PDF (text extracted and checked), each
 * served with proof; each waiting period refuses the step before it ends; the reminder, the
 * statement and its review, the application, the court's acceptance and ruling, the joint action,
 * the execution on film and the handover close the case. A second household sues and wins. Every
 * enforcement route's answer is held to its declared (strict) schema.
 */
const CLOCK_START = '2025-09-01T09:00:00+08:00';
const URBAN = { agency: 'urban-management', jurisdiction: 'yongzhou/lengshuitan' };
const COURT = { agency: 'basic-court', jurisdiction: 'yongzhou/lengshuitan' };
const COURT_REF = { agency: 'basic-court', jurisdiction: 'yongzhou/lengshuitan', name: '冷水滩区人民法院' };

let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;
let work: string;
let routes: ReturnType<typeof schemaCheckedRoutes>;

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: CLOCK_START });
  call = apiClient(cloud);
  routes = schemaCheckedRoutes(call, 'enforcement');
  work = mkdtempSync(join(tmpdir(), 'enforcement-procedure-'));
});
afterAll(async () => {
  await cloud?.stop();
});

type Who = { agency: string; jurisdiction: string };

const check = (key: string, who: Who, path: string, body?: unknown) => routes.check(key, who, path, body);

/** A refused step: the status and the machine code, and nothing changed (the chain's `updatedAt` stays). */
async function refused(who: Who, method: string, path: string, body: unknown, status: number, code: string, chainId: string): Promise<any> {
  const before = await call(WHO.landBranch, 'GET', `/enforcement/${chainId}`);
  const response = await call(who, method, path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error.code).toBe(code);
  expect(response.body.error.message).toMatch(/\p{Script=Han}/u);
  const after = await call(WHO.landBranch, 'GET', `/enforcement/${chainId}`);
  expect(after.body.updatedAt).toBe(before.body.updatedAt);
  return response.body.error;
}

const advanceTo = (instant: string) => advanceClockTo(cloud, instant);

const minutes = (instant: string, n: number) => new Date(Date.parse(instant) + n * 60_000).toISOString();

async function file(chainId: string, who: Who, purpose: string, contentType = 'image/jpeg'): Promise<string> {
  const bytes = Buffer.from(`${purpose} ${chainId} ${cloud.clock.now()} ${Math.random()}`);
  const slot = await check('POST /enforcement/{chainId}/uploads', who, `/enforcement/${chainId}/uploads`, { purpose, contentType, fileName: 'f', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  expect((await fetch(slot.url, { method: 'PUT', headers: slot.headers, body: bytes })).status).toBe(200);
  return slot.uploadId as string;
}

/** The PDF behind a download link, as text (poppler's pdftotext), after checking its SHA-256 against the record. */
async function pdfText(url: string, sha256: string, name: string): Promise<string> {
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
  const path = join(work, `${name}.pdf`);
  writeFileSync(path, bytes);
  const result = spawnSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.replace(/\s+/g, '');
}

async function issue(chainId: string, who: Who, kind: string, number: string, terms: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const answer = await check('POST /enforcement/{chainId}/instruments', who, `/enforcement/${chainId}/instruments`, { kind, number, terms, ...extra });
  const instrument = answer.instruments.at(-1);
  expect(instrument).toMatchObject({ kind, number });
  expect(answer.document.sha256).toBe(instrument.document.sha256);
  return { answer, instrument, text: await pdfText(answer.document.url, answer.document.sha256, `${kind}-${number}`) };
}

async function serve(chainId: string, instrumentId: string, who: Who, extra: Record<string, unknown> = {}) {
  return check('POST /enforcement/{chainId}/instruments/{instrumentId}/service', who, `/enforcement/${chainId}/instruments/${instrumentId}/service`, {
    method: 'in-person',
    deliveredAt: new Date(cloud.clock.now()).toISOString(),
    servedBy: '刘一、陈二',
    recipient: '户主本人',
    witnesses: ['村民小组长'],
    remediesStated: true,
    uploadIds: [await file(chainId, who, 'service-proof')],
    ...extra,
  });
}

async function household(projectId: string, number: string, headName: string): Promise<string> {
  const created = await call(WHO.meiwan, 'POST', `/projects/${projectId}/households`, {
    villageGroupId: 'g1',
    householdNumber: number,
    headName,
    members: [{ name: headName, relation: '户主', idNumber: idNumber('1959-06-01', Number(number)), dateOfBirth: '1959-06-01' }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.householdId as string;
}

it('households that never sign: every instrument served, the periods kept, the court, the joint action, executed and handed over; another refused by the court; a third sues and wins', async () => {
  const { projectId } = await publishNoticeViaApi(call);
  const householdId = await household(projectId, '021', '王五');
  // A second household walks the same path at the same times; the court refuses it in the end.
  const otherId = await household(projectId, '023', '孙八');

  // Before the plan fixes the standard, no chain.
  const early = await call(WHO.landBranch, 'POST', `/households/${householdId}/enforcement`, { kind: 'vacating' });
  expect(early.status).toBe(422);
  expect(early.body.error.code).toBe('enforcement.plan-not-published');
  for (const [who, method, path] of [[WHO.landBranch, 'PUT', `/projects/${projectId}/plan`], [WHO.legal, 'POST', `/projects/${projectId}/plan/review`], [WHO.landBranch, 'POST', `/projects/${projectId}/plan/publish`]] as const) {
    if (path.endsWith('publish')) await planApprovedViaApi(cloud, call, projectId);
    const answer = await call(who, method, path, method === 'PUT' ? PLAN_DRAFT : path.endsWith('review') ? { decision: 'approve' } : undefined);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }
  await advanceTo('2025-09-08T09:00:00+08:00');

  const opened = await check('POST /households/{householdId}/enforcement', WHO.landBranch, `/households/${householdId}/enforcement`, { kind: 'vacating' });
  const chainId = opened.chainId as string;
  expect(opened).toMatchObject({ status: 'active', basis: { kind: 'no-agreement' }, next: { instrument: 'compensation-notification', title: '补偿告知书' } });
  const again = await call(WHO.landBranch, 'POST', `/households/${householdId}/enforcement`, { kind: 'vacating' });
  expect(again.body.error.code).toBe('enforcement.chain-open');
  const other = (await check('POST /households/{householdId}/enforcement', WHO.landBranch, `/households/${otherId}/enforcement`, { kind: 'vacating' })).chainId as string;

  // 1. 补偿告知书, served on Monday 8 September 2025.
  const notification = await issue(chainId, WHO.landBranch, 'compensation-notification', '冷国土强告〔2025〕1号', { facts: '该户在实施方案发布后未签订征收土地协议', compensationFen: 38_765_400, compensationText: '按实施方案确定的统一标准补偿' });
  expect(notification.text).toContain('补偿告知书');
  expect(notification.text).toContain('王五');
  expect(notification.text).toContain('7个工作日');
  expect(notification.text).toContain('387,654.00');
  const decisionTerms = { facts: '告知期满未签订协议', compensationFen: 38_765_400, compensationText: '按实施方案确定的统一标准补偿' };
  await refused(WHO.landBranch, 'POST', `/enforcement/${chainId}/instruments`, { kind: 'compensation-decision', number: 'X', terms: decisionTerms }, 422, 'enforcement.previous-not-served', chainId);
  const served = await serve(chainId, notification.instrument.instrumentId, WHO.meiwan);
  const otherNotification = await issue(other, WHO.landBranch, 'compensation-notification', '冷国土强告〔2025〕3号', decisionTerms);
  await serve(other, otherNotification.instrument.instrumentId, WHO.meiwan);
  // Seven working days from Tuesday 9 September: the decision is first allowed at 24:00 on Wednesday 17 September.
  expect(served.next).toMatchObject({ instrument: 'compensation-decision', allowedFromBeijing: '2025-09-18T00:00:00+08:00' });
  // …and due 10 days after: 24:00 on Sunday 28 September, a worked day (adjusted for National Day) — no roll.
  expect(served.clocks.find((c: { ruleId: string }) => c.ruleId === 'compensation-decision')).toMatchObject({ status: 'open', dueAt: '2025-09-28T16:00:00.000Z' });

  // 2. 补偿决定书: refused one minute before the period ends, allowed one minute after.
  await advanceTo(minutes('2025-09-17T16:00:00.000Z', -1));
  const early2 = await refused(WHO.landBranch, 'POST', `/enforcement/${chainId}/instruments`, { kind: 'compensation-decision', number: 'X', terms: decisionTerms }, 422, 'enforcement.waiting-period', chainId);
  expect(early2.message).toContain('2025-09-18');
  await advanceTo(minutes('2025-09-17T16:00:00.000Z', 1));
  const decision = await issue(chainId, WHO.landBranch, 'compensation-decision', '冷国土强决〔2025〕1号', decisionTerms);
  expect(decision.text).toContain('补偿决定书');
  expect(decision.text).toMatch(/六十日|60日/);
  expect(decision.text).toMatch(/六个月|6个月/);
  expect(decision.text).toContain('行政复议');
  await serve(chainId, decision.instrument.instrumentId, WHO.meiwan);
  const otherDecision = await issue(other, WHO.landBranch, 'compensation-decision', '冷国土强决〔2025〕3号', decisionTerms);
  await serve(other, otherDecision.instrument.instrumentId, WHO.meiwan);

  // 3–4. 限期腾地通知书, then after 7 working days the 限期腾地决定书 (15 days to vacate).
  const notice = await issue(chainId, WHO.landBranch, 'vacating-notice', '冷国土腾通〔2025〕1号', { facts: '补偿决定已送达，被征收户拒不腾地' });
  expect(notice.text).toContain('限期腾地通知书');
  const noticeServed = await serve(chainId, notice.instrument.instrumentId, WHO.meiwan);
  const otherNotice = await issue(other, WHO.landBranch, 'vacating-notice', '冷国土腾通〔2025〕3号', { facts: '拒不腾地' });
  await serve(other, otherNotice.instrument.instrumentId, WHO.meiwan);
  await advanceTo(minutes(noticeServed.next.allowedFrom, 1));
  const vacating = await issue(chainId, WHO.landBranch, 'vacating-decision', '冷国土腾决〔2025〕1号', { facts: '限期腾地通知期满仍未腾地', performWithin: '15d' });
  expect(vacating.text).toContain('限期腾地决定书');
  expect(vacating.text).toContain('15日');
  const decided = await serve(chainId, vacating.instrument.instrumentId, WHO.meiwan);
  expect(decided.instruments.at(-1).service.performBy).toMatch(/^2025-10-/);
  expect(decided.clocks.find((c: { ruleId: string }) => c.ruleId === 'vacating-decision')).toMatchObject({ metAt: expect.any(String) });
  // The application's latest date: 3 months after the end of the litigation period.
  expect(decided.clocks.find((c: { ruleId: string }) => c.ruleId === 'court-application-deadline')).toMatchObject({ status: 'open' });
  const otherVacating = await issue(other, WHO.landBranch, 'vacating-decision', '冷国土腾决〔2025〕3号', { facts: '拒不腾地', performWithin: '15d' });
  await serve(other, otherVacating.instrument.instrumentId, WHO.meiwan);

  // 5. 催告书: not before the six months (the litigation period) have run out.
  const reminderTerms = { facts: '限期腾地决定确定的期限届满，当事人未申请复议、未起诉，仍未腾地', performWithin: '10d', manner: '自行搬离并交出土地' };
  await refused(WHO.landBranch, 'POST', `/enforcement/${chainId}/instruments`, { kind: 'performance-reminder', number: 'X', terms: reminderTerms }, 422, 'enforcement.waiting-period', chainId);
  const reminderFrom = (await check('GET /enforcement/{chainId}', WHO.landBranch, `/enforcement/${chainId}`)).next.allowedFrom as string;
  expect(reminderFrom.startsWith('2026-03-')).toBe(true);
  await advanceTo(minutes(reminderFrom, -1));
  await refused(WHO.landBranch, 'POST', `/enforcement/${chainId}/instruments`, { kind: 'performance-reminder', number: 'X', terms: reminderTerms }, 422, 'enforcement.waiting-period', chainId);
  await advanceTo(minutes(reminderFrom, 60));
  const reminder = await issue(chainId, WHO.landBranch, 'performance-reminder', '冷国土催〔2026〕1号', reminderTerms);
  expect(reminder.text).toContain('履行行政决定催告书');
  expect(reminder.text).toContain('陈述');
  expect(reminder.text).toContain('申辩');
  const reminded = await serve(chainId, reminder.instrument.instrumentId, WHO.meiwan);
  const otherReminder = await issue(other, WHO.landBranch, 'performance-reminder', '冷国土催〔2026〕3号', reminderTerms);
  await serve(other, otherReminder.instrument.instrumentId, WHO.meiwan);

  // The household states its views; the land bureau reviews them before applying.
  const stated = await check('POST /enforcement/{chainId}/statements', WHO.landBranch, `/enforcement/${chainId}/statements`, {
    receivedAt: new Date(cloud.clock.now()).toISOString(),
    summary: '认为补偿偏低',
    uploadIds: [await file(chainId, WHO.landBranch, 'statement', 'application/pdf')],
  });
  const statementId = stated.statements[0].statementId as string;

  // 6. The application: refused until 10 working days after the reminder was served, and until the statement is reviewed.
  const application = { kind: 'court-application', number: '冷国土申〔2026〕1号', terms: { facts: '当事人经催告仍不履行' }, court: COURT_REF };
  await advanceTo(minutes(reminded.next.allowedFrom, -1));
  await refused(WHO.landBranch, 'POST', `/enforcement/${chainId}/instruments`, application, 422, 'enforcement.waiting-period', chainId);
  await advanceTo(minutes(reminded.next.allowedFrom, 1));
  await refused(WHO.landBranch, 'POST', `/enforcement/${chainId}/instruments`, application, 422, 'enforcement.statement-unreviewed', chainId);
  await check('POST /enforcement/{chainId}/statements/{statementId}/review', WHO.landBranch, `/enforcement/${chainId}/statements/${statementId}/review`, { established: false, reasoning: '补偿按实施方案统一标准核算，无漏项' });
  const applied = await issue(chainId, WHO.landBranch, 'court-application', application.number, application.terms, { court: COURT_REF });
  expect(applied.text).toContain('冷水滩区人民法院');
  expect(applied.text).toContain('强制执行');
  // Filed with the ACL art. 55 materials; without them it is refused.
  await refused(WHO.landBranch, 'POST', `/enforcement/${chainId}/instruments/${applied.instrument.instrumentId}/service`, { method: 'in-person', deliveredAt: new Date(cloud.clock.now()).toISOString(), servedBy: '刘一', uploadIds: [await file(chainId, WHO.landBranch, 'service-proof')] }, 400, 'enforcement.materials-required', chainId);
  const filed = await serve(chainId, applied.instrument.instrumentId, WHO.landBranch, { recipient: '冷水滩区人民法院立案庭', materialUploadIds: [await file(chainId, WHO.landBranch, 'court-materials', 'application/pdf')] });
  expect(filed.court.materials).toHaveLength(1);
  expect(filed.court).toMatchObject({ court: COURT_REF });
  expect(filed.clocks.find((c: { ruleId: string }) => c.ruleId === 'court-acceptance')).toMatchObject({ status: 'open', responsibleAgency: 'basic-court' });
  const document = await check('GET /enforcement/{chainId}/instruments/{instrumentId}/document', { agency: 'procuratorate', jurisdiction: 'yongzhou' }, `/enforcement/${chainId}/instruments/${applied.instrument.instrumentId}/document`);
  expect(document.sha256).toBe(applied.instrument.document.sha256);
  const otherApplied = await issue(other, WHO.landBranch, 'court-application', '冷国土申〔2026〕3号', application.terms, { court: COURT_REF });
  await serve(other, otherApplied.instrument.instrumentId, WHO.landBranch, { materialUploadIds: [await file(other, WHO.landBranch, 'court-materials', 'application/pdf')] });

  // The court: only it records its acts; it accepts and rules.
  await refused(WHO.landBranch, 'POST', `/enforcement/${chainId}/court/acceptance`, { accepted: true, at: new Date(cloud.clock.now()).toISOString(), caseNumber: 'X' }, 403, 'forbidden.agency', chainId);
  await cloud.advance(24 * 3_600_000);
  await check('POST /enforcement/{chainId}/court/acceptance', COURT, `/enforcement/${chainId}/court/acceptance`, { accepted: true, at: new Date(cloud.clock.now()).toISOString(), caseNumber: '（2026）湘1103行审12号' });
  // The other application is refused; the land bureau asks the higher court, which accepts; the court hears both sides and refuses to enforce.
  await check('POST /enforcement/{chainId}/court/acceptance', COURT, `/enforcement/${other}/court/acceptance`, { accepted: false, at: new Date(cloud.clock.now()).toISOString(), reasons: '申请材料不齐全' });
  await cloud.advance(24 * 3_600_000);
  await check('POST /enforcement/{chainId}/court/review', WHO.landBranch, `/enforcement/${other}/court/review`, { filedAt: new Date(cloud.clock.now()).toISOString() });
  await cloud.advance(24 * 3_600_000);
  await check('POST /enforcement/{chainId}/court/review/decision', { agency: 'intermediate-court', jurisdiction: 'yongzhou' }, `/enforcement/${other}/court/review/decision`, { accepted: true, at: new Date(cloud.clock.now()).toISOString() });
  const heard = await check('POST /enforcement/{chainId}/court/hearing', COURT, `/enforcement/${other}/court/hearing`, { decidedAt: new Date(cloud.clock.now()).toISOString(), reasons: '补偿决定可能明显缺乏事实根据，听取双方意见' });
  expect(heard.clocks.map((c: { ruleId: string }) => c.ruleId)).toContain('court-ruling-after-hearing');
  await cloud.advance(2 * 24 * 3_600_000);
  const ruled = await check('POST /enforcement/{chainId}/court/ruling', COURT, `/enforcement/${chainId}/court/ruling`, {
    enforce: true,
    at: new Date(cloud.clock.now()).toISOString(),
    caseNumber: '（2026）湘1103行审12号',
    reasons: '被执行人在法定期限内未申请复议、未起诉，又不履行，准予强制执行',
    uploadIds: [await file(chainId, COURT, 'court-ruling', 'application/pdf')],
  });
  expect(ruled.court.ruling).toMatchObject({ enforce: true });
  await check('POST /enforcement/{chainId}/court/ruling', COURT, `/enforcement/${other}/court/ruling`, {
    enforce: false,
    at: new Date(cloud.clock.now()).toISOString(),
    caseNumber: '（2026）湘1103行审13号',
    reasons: '补偿决定明显缺乏事实根据，不准予执行',
    uploadIds: [await file(other, COURT, 'court-ruling', 'application/pdf')],
  });
  const refusedByCourt = await check('POST /enforcement/{chainId}/end', WHO.landBranch, `/enforcement/${other}/end`, { reason: 'court-refused', note: '人民法院裁定不准予执行，另行依法处理' });
  expect(refusedByCourt).toMatchObject({ status: 'ended', ended: { reason: 'court-refused' }, clocks: [] });

  // The joint action: never at night or on a rest day, never cutting utilities.
  const participants = [{ agency: 'urban-management', jurisdiction: 'yongzhou/lengshuitan', role: '现场拆除' }, { agency: 'public-security', jurisdiction: 'yongzhou', role: '维护现场秩序' }, { agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan', role: '财产清点、劝导' }];
  const now = new Date(cloud.clock.now());
  const nextWorkday = (hour: number) => {
    const day = new Date(now.getTime() + 8 * 3_600_000);
    do day.setUTCDate(day.getUTCDate() + 1);
    while ([0, 6].includes(day.getUTCDay()) || ['04-04', '04-05', '04-06', '05-01', '05-02', '05-03', '05-04', '05-05'].includes(day.toISOString().slice(5, 10)));
    return new Date(`${day.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();
  };
  await refused(WHO.leadingGroup, 'POST', `/enforcement/${chainId}/joint-action`, { plannedFor: nextWorkday(23), participants, measures: ['site-cordon'] }, 422, 'enforcement.night-or-holiday', chainId);
  await refused(WHO.leadingGroup, 'POST', `/enforcement/${chainId}/joint-action`, { plannedFor: nextWorkday(9), participants, measures: ['site-cordon', 'cut-power'] }, 422, 'enforcement.utilities-cut-forbidden', chainId);
  await check('POST /enforcement/{chainId}/joint-action', WHO.leadingGroup, `/enforcement/${chainId}/joint-action`, { plannedFor: nextWorkday(9), participants, measures: ['site-cordon', 'persuasion', 'property-inventory', 'video-recording', 'demolition'] });
  await advanceTo(nextWorkday(12));
  const executed = await check('POST /enforcement/{chainId}/execution', URBAN, `/enforcement/${chainId}/execution`, {
    startedAt: nextWorkday(9),
    endedAt: nextWorkday(11),
    summary: '依法清点财产、劝导搬离后拆除',
    uploadIds: [await file(chainId, URBAN, 'execution-video', 'video/mp4')],
  });
  expect(executed.execution).toMatchObject({ startedAt: nextWorkday(9) });
  const closed = await check('POST /enforcement/{chainId}/handover', WHO.landBranch, `/enforcement/${chainId}/handover`, { at: new Date(cloud.clock.now()).toISOString(), uploadIds: [await file(chainId, WHO.landBranch, 'handover-photo')] });
  expect(closed).toMatchObject({ status: 'ended', ended: { reason: 'executed' } });
  expect(closed.instruments.map((i: { kind: string }) => i.kind)).toEqual(['compensation-notification', 'compensation-decision', 'vacating-notice', 'vacating-decision', 'performance-reminder', 'court-application']);
  expect(closed.instruments.every((i: { service?: unknown }) => i.service)).toBe(true);

  const listed = await check('GET /projects/{projectId}/enforcement', WHO.leadingGroup, `/projects/${projectId}/enforcement`);
  expect(listed.items.find((c: { chainId: string }) => c.chainId === chainId)).toMatchObject({ status: 'ended', ended: 'executed', instruments: 6 });
  // Every agency deadline of the chain was met in time: nothing counted against anyone.
  const overdue = await call(WHO.leadingGroup, 'GET', '/performance/overdue');
  expect(overdue.body.items.filter((r: { caseId: string }) => r.caseId === householdId)).toEqual([]);

  // ---- a third household sues over its compensation decision and wins ----
  const second = await household(projectId, '022', '赵六');
  const chain2 = (await check('POST /households/{householdId}/enforcement', WHO.landBranch, `/households/${second}/enforcement`, { kind: 'vacating' })).chainId as string;
  const n2 = await issue(chain2, WHO.landBranch, 'compensation-notification', '冷国土强告〔2026〕2号', decisionTerms);
  const s2 = await serve(chain2, n2.instrument.instrumentId, WHO.meiwan);
  await advanceTo(minutes(s2.next.allowedFrom, 1));
  const d2 = await issue(chain2, WHO.landBranch, 'compensation-decision', '冷国土强决〔2026〕2号', decisionTerms);
  await serve(chain2, d2.instrument.instrumentId, WHO.meiwan);
  const n3 = await issue(chain2, WHO.landBranch, 'vacating-notice', '冷国土腾通〔2026〕2号', { facts: '拒不腾地' });
  const noticed = await serve(chain2, n3.instrument.instrumentId, WHO.meiwan);
  expect(noticed.clocks.find((c: { ruleId: string }) => c.ruleId === 'vacating-decision')).toMatchObject({ status: 'open' });
  const sued = await check('POST /enforcement/{chainId}/remedies', WHO.legal, `/enforcement/${chain2}/remedies`, { kind: 'lawsuit', instrumentId: d2.instrument.instrumentId, filedAt: new Date(cloud.clock.now()).toISOString(), body: '冷水滩区人民法院', caseNumber: '（2026）湘1103行初7号' });
  expect(sued).toMatchObject({ status: 'suspended', next: { blockedBy: 'enforcement.suspended' } });
  // Suspended: the next step is refused, and the running deadline stops (cancelled, counted against no one).
  expect(sued.clocks.find((c: { ruleId: string }) => c.ruleId === 'vacating-decision')).toBeUndefined();
  await advanceTo(minutes(noticed.next.allowedFrom, 1));
  await refused(WHO.landBranch, 'POST', `/enforcement/${chain2}/instruments`, { kind: 'vacating-decision', number: 'X', terms: { facts: 'f', performWithin: '15d' } }, 422, 'enforcement.suspended', chain2);
  // Months later the judgement revokes the decision: the chain ends.
  await cloud.advance(60 * 24 * 3_600_000);
  const judgement = await file(chain2, WHO.legal, 'remedy-document', 'application/pdf');
  const remedyId = sued.remedies[0].remedyId as string;
  const won = await check('POST /enforcement/{chainId}/remedies/{remedyId}/outcome', WHO.legal, `/enforcement/${chain2}/remedies/${remedyId}/outcome`, {
    result: 'revoked',
    decidedAt: new Date(cloud.clock.now() - 5 * 24 * 3_600_000).toISOString(),
    servedAt: new Date(cloud.clock.now() - 24 * 3_600_000).toISOString(),
    summary: '判决撤销补偿决定（补偿标准适用错误），判决已生效',
    uploadIds: [judgement],
  });
  expect(won).toMatchObject({ status: 'ended', ended: { reason: 'decision-revoked' }, clocks: [] });
  await refused(WHO.landBranch, 'POST', `/enforcement/${chain2}/instruments`, { kind: 'vacating-decision', number: 'X', terms: { facts: 'f', performWithin: '15d' } }, 409, 'enforcement.chain-ended', chain2);
  // The stopped deadline never alerted and counts against no one.
  expect((await call(WHO.leadingGroup, 'GET', '/performance/overdue')).body.items.filter((r: { caseId: string }) => r.caseId === second)).toEqual([]);
  expect(cloud.alerts().filter((a) => JSON.stringify(a).includes(second))).toEqual([]);

  expect([...routes.checked].sort()).toEqual([...routes.routes.keys()].sort());
});
