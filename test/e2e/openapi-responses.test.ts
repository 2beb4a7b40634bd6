import { createHash, randomUUID } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { ALL_ROUTES } from '../../services/all-routes.ts';
import { LOCAL_CREDENTIALS } from '../../infra/local/servers/net.ts';
import { signedCallbackHeaders } from '../../shared/payments/bank-gateway.ts';
import { beijingDate } from '../../shared/calendar/index.ts';
import { errorResponse } from '../../shared/http/response-schemas.ts';
import { routeKeyOf, type RouteSpec } from '../../shared/http/routes.ts';
import { idNumber, surveySpec, writeWorkbook } from '../../services/compensation/adapters/workbook/test-helpers.ts';
import { apiClient, NEW_PROJECT, PLAN_DRAFT, publishNoticeViaApi, startTestCloud, WHO } from '../support/local-cloud.ts';
import { planApprovedViaApi } from '../support/oversight.ts';

/**
 * The API answers what its OpenAPI document declares: a short procedure through the local API
 * calls every route, and each successful body is checked against the route's response schema.
 * The schemas are strict, so a field added, renamed or leaked (a task token, a sealed ID number)
 * fails here until the schema — hence the document — says so.
 */
let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;
// A chain of the enforcement service takes months of virtual time (from 2025, within the holiday
// data): its routes are held to their schemas, the same way, by enforcement-procedure.test.ts; the
// incidents service's by incident-procedure.test.ts (a holiday night on the virtual clock), the
// oversight service's by oversight-procedure.test.ts (months of meetings, resolutions and supervision).
const OWN_PROCEDURE_TESTS = ['enforcement', 'incidents', 'oversight'];
const ROUTES = new Map<string, RouteSpec>(ALL_ROUTES.filter((r) => !OWN_PROCEDURE_TESTS.includes(r.service)).map((r) => [routeKeyOf(r), r]));
const checked = new Set<string>();

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: '2026-09-01T09:00:00+08:00' });
  call = apiClient(cloud);
});
afterAll(async () => {
  await cloud?.stop();
});

/** Calls a route and holds its successful answer to the declared schema. */
async function check(key: string, who: { agency: string; jurisdiction: string }, path: string, body?: unknown): Promise<any> {
  const route = ROUTES.get(key);
  if (!route) throw new Error(`no route ${key}`);
  const response = await call(who, route.method, path, body);
  expect(response.status, `${key}: ${JSON.stringify(response.body)}`).toBe(route.successStatus ?? 200);
  const parsed = route.response.safeParse(response.body);
  expect(parsed.success ? [] : parsed.error.issues, `${key} answered ${JSON.stringify(response.body)}`).toEqual([]);
  // Strict: a field the schema does not know is refused (so drift cannot pass unnoticed).
  if (response.body && typeof response.body === 'object' && !Array.isArray(response.body)) {
    expect(route.response.safeParse({ ...response.body, undeclared: 1 }).success, `${key} schema is not strict`).toBe(false);
  }
  checked.add(key);
  return response.body;
}

it('every route of a procedure answers what the OpenAPI document declares', async () => {
  await check('GET /openapi.json', WHO.landBranch, '/openapi.json');
  await check('GET /health', WHO.landBranch, '/health');
  await check('GET /health/ready', WHO.landBranch, '/health/ready');
  const asked = cloud.clock.now();
  const me = await check('GET /me', WHO.meiwan, '/me');
  // The server's clock is the local cloud's virtual clock, not this machine's.
  expect(me).toMatchObject({ agency: 'township', jurisdictionName: '永州市冷水滩区梅湾街道', level: 'township' });
  expect(Date.parse(me.now)).toBeGreaterThanOrEqual(asked);
  expect(Date.parse(me.now)).toBeLessThanOrEqual(cloud.clock.now());

  const project = await check('POST /projects', WHO.district, '/projects', NEW_PROJECT);
  const id = project.id as string;
  await check('GET /projects/{projectId}', WHO.landBranch, `/projects/${id}`);
  const listed = await check('GET /projects', WHO.meiwan, `/projects?q=${encodeURIComponent(project.name)}&stage=created`);
  expect(listed.items.map((p: { id: string }) => p.id)).toEqual([id]);
  await check('PUT /projects/{projectId}/notice', WHO.landBranch, `/projects/${id}/notice`, { title: '征收土地通告', body: '通告正文', registrationPeriod: '30d', registrationPlace: '梅湾街道办事处' });
  await check('POST /projects/{projectId}/notice/review', WHO.legal, `/projects/${id}/notice/review`, { decision: 'approve' });
  const published = await check('POST /projects/{projectId}/notice/publish', WHO.landBranch, `/projects/${id}/notice/publish`);
  await check('GET /projects/{projectId}/notice', WHO.meiwan, `/projects/${id}/notice`);
  await check('GET /inbox', WHO.police, '/inbox');
  await check('POST /projects/{projectId}/hukou-suspension/acknowledge', WHO.police, `/projects/${id}/hukou-suspension/acknowledge`);

  await cloud.advance(3_600_000);
  const photo = Buffer.from(`photo ${id}`);
  const upload = await check('POST /projects/{projectId}/evidence-uploads', WHO.meiwan, `/projects/${id}/evidence-uploads`, {
    document: 'notice', villageGroupId: 'g1', fileName: 'notice.jpg', contentType: 'image/jpeg', size: photo.length, sha256: createHash('sha256').update(photo).digest('hex'),
  });
  expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: photo })).status).toBe(200);
  await check('POST /projects/{projectId}/postings', WHO.meiwan, `/projects/${id}/postings`, {
    document: 'notice', villageGroupId: 'g1', uploadIds: [upload.uploadId], postedAt: '2026-09-01T09:30:00+08:00', place: { description: '村务公开栏', latitude: 26.43, longitude: 111.61 },
  });
  // The evidence as the project page shows it: its presigned URL GETs the very bytes uploaded.
  const postings = await check('GET /projects/{projectId}/postings', WHO.landBranch, `/projects/${id}/postings`);
  const shown = postings.items[0].evidence[0];
  expect(shown).toMatchObject({ contentType: 'image/jpeg', size: photo.length, sha256: createHash('sha256').update(photo).digest('hex') });
  expect(Buffer.from(await (await fetch(shown.url)).arrayBuffer())).toEqual(photo);

  // An ID number pasted with spaces around it is accepted (trimmed before the length check).
  const registered = await check('POST /projects/{projectId}/registrations', WHO.meiwan, `/projects/${id}/registrations`, {
    villageGroupId: 'g1', rightType: 'land-contract', holder: { kind: 'person', name: '张三', idNumber: '  11010519491231002x\u3000' }, contractNumber: 'C-001', description: '承包地 2 亩', onBehalf: true,
  });
  expect(registered.holder.idNumberMasked).toBe('1101**********002X');
  await check('POST /projects/{projectId}/registrations', WHO.meiwan, `/projects/${id}/registrations`, {
    villageGroupId: 'g1', rightType: 'collective-land-ownership', holder: { kind: 'collective', name: '梅湾村一组', collectiveLevel: 'group' }, description: '集体土地', onBehalf: false,
  });
  await check('GET /projects/{projectId}/registrations', WHO.landBranch, `/projects/${id}/registrations?limit=1`);

  await check('GET /calendar/deadline', WHO.landBranch, `/calendar/deadline?period=7wd&from=${encodeURIComponent('2026-09-28T10:00:00+08:00')}`);
  // 202: the year is saved and its recount runs as a job, which GET /calendar/jobs/{jobId} follows.
  expect(ROUTES.get('PUT /calendar/years/{year}')?.successStatus).toBe(202);
  const corrected = await check('PUT /calendar/years/{year}', WHO.leadingGroup, '/calendar/years/2027', { year: 2027, holidays: ['2027-01-01', { date: '2027-10-01', name: '国庆节' }], workdays: [], source: '测试数据（非国务院安排）', updatedAt: '2026-11-27' });
  expect(corrected.job).toMatchObject({ kind: 'recount', status: 'running' });
  await cloud.advance(0);
  const job = await check('GET /calendar/jobs/{jobId}', WHO.leadingGroup, `/calendar/jobs/${corrected.job.jobId}`);
  // 2027 moves none of the project's deadlines: the job reads them and completes.
  expect(job).toMatchObject({ jobId: corrected.job.jobId, kind: 'recount', status: 'completed', counts: { changed: 0, restarted: 0, failed: 0 } });
  await check('GET /calendar/years', WHO.landBranch, '/calendar/years');

  // The 45 days pass without a plan: an overdue record, then the plan is published late.
  const planDeadline = published.deadlines.find((d: { ruleId: string }) => d.ruleId === 'implementation-plan');
  await cloud.advance(Date.parse(planDeadline.dueAt) - cloud.clock.now() + 60_000);
  const overdue = await check('GET /performance/overdue', WHO.leadingGroup, '/performance/overdue');
  // The plan, and the notice never posted in g2.
  expect(overdue.items.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual(['implementation-plan', 'notice-posting/g2']);
  // The land bureau's branch: its overdue plan among its work, and the alert of the miss; yitang's township its posting.
  const work = await check('GET /my-work', WHO.landBranch, '/my-work');
  expect(work.items).toContainEqual(expect.objectContaining({ caseId: id, ruleId: 'implementation-plan', overdue: true, link: { kind: 'project', id } }));
  const alerted = await check('GET /alerts', WHO.landBranch, '/alerts');
  expect(alerted.items.map((a: { ruleId: string }) => a.ruleId)).toEqual(['implementation-plan']);
  expect((await check('GET /alerts', WHO.yitang, `/alerts?since=${encodeURIComponent('2026-09-01T00:00:00Z')}`)).items.map((a: { ruleId: string }) => a.ruleId)).toEqual(['notice-posting/g2']);
  await check('PUT /projects/{projectId}/plan', WHO.landBranch, `/projects/${id}/plan`, PLAN_DRAFT);
  await check('POST /projects/{projectId}/plan/review', WHO.legal, `/projects/${id}/plan/review`, { decision: 'approve' });
  await check('GET /projects/{projectId}/plan', WHO.meiwan, `/projects/${id}/plan`);
  await planApprovedViaApi(cloud, call, id);
  const plan = await check('POST /projects/{projectId}/plan/publish', WHO.landBranch, `/projects/${id}/plan/publish`);
  expect(plan.deadline.status).toBe('met-late');
  await check('GET /projects/{projectId}/timeline', WHO.landBranch, `/projects/${id}/timeline`);
  const signed = await householdRoutes(id);
  await accountRoutes(id);
  await paymentRoutes(id, signed);
  await socialSecurityRoutes(signed);
  await handoverRoutes(id, signed.path.split('/').at(-1)!);
  await check('POST /projects/{projectId}/hukou-suspension/resume', WHO.police, `/projects/${id}/hukou-suspension/resume`);

  // Errors have the one declared error shape.
  for (const [who, method, path, body, status] of [
    [WHO.landBranch, 'GET', '/projects/NOSUCHPROJECT/timeline', undefined, 404],
    [WHO.meiwan, 'POST', `/projects/${id}/registrations`, { villageGroupId: 'g1' }, 400],
    [WHO.landBranch, 'PUT', `/projects/${id}/plan`, PLAN_DRAFT, 409],
    [WHO.meiwan, 'POST', '/projects', NEW_PROJECT, 403],
  ] as const) {
    const response = await call(who, method, path, body);
    expect(response.status).toBe(status);
    expect(errorResponse.safeParse(response.body).error?.issues ?? []).toEqual([]);
  }

  expect([...checked].sort()).toEqual([...ROUTES.keys()].sort());
});

/** Uploads through a presigned slot of a compensation route (checked), PUTting the bytes with its headers. */
async function uploadVia(key: string, who: { agency: string; jurisdiction: string }, path: string, purpose: string, contentType: string, bytes: Buffer): Promise<string> {
  const slot = await check(key, who, path, { purpose, contentType, fileName: 'file', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  expect((await fetch(slot.url, { method: 'PUT', headers: slot.headers, body: bytes })).status).toBe(200);
  return slot.uploadId as string;
}

/** The households routes, in the order of the procedure, on the project whose plan is published; the signed household. */
async function householdRoutes(id: string): Promise<{ path: string; memberId: string; idNumber: string }> {
  const city = (agency: string) => ({ agency, jurisdiction: 'yongzhou' });
  await check('GET /projects/{projectId}/survey-template', WHO.landBranch, `/projects/${id}/survey-template`);
  const key = { villageGroupId: 'g1', householdNumber: '001' };
  const headIdNumber = idNumber('1968-03-02', 11);
  const workbook = await writeWorkbook(surveySpec({ 户及成员: [{ ...key, headName: '张三', name: '张三', relation: '户主', idNumber: headIdNumber, military: '退役' }], 土地: [{ ...key, itemKey: 1, parcelNumber: 'DK-1', landClass: '水田', areaMu: '1.5' }] }));
  const workbookUpload = await uploadVia('POST /projects/{projectId}/uploads', WHO.landBranch, `/projects/${id}/uploads`, 'survey-workbook', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', workbook);
  const job = await check('POST /projects/{projectId}/survey-imports', WHO.landBranch, `/projects/${id}/survey-imports`, { uploadId: workbookUpload });
  await cloud.advance(0);
  expect(await check('GET /projects/{projectId}/survey-imports/{jobId}', WHO.landBranch, `/projects/${id}/survey-imports/${job.jobId}`)).toMatchObject({ status: 'completed', counts: { created: 1 } });
  // Entered by hand in another project: this one's households must all be paid before hukou changes resume.
  const other = await publishNoticeViaApi(call);
  await check('POST /projects/{projectId}/households', WHO.yitang, `/projects/${other.projectId}/households`, { villageGroupId: 'g2', householdNumber: '002', headName: '王五', members: [{ name: '王五', relation: '户主', idNumber: idNumber('1975-01-09', 44), dateOfBirth: '1975-01-09' }] });
  const listed = await check('GET /projects/{projectId}/households', WHO.meiwan, `/projects/${id}/households?villageGroupId=g1&q=${encodeURIComponent(headIdNumber.slice(-4))}`);
  expect(listed.items.map((h: { headName: string }) => h.headName)).toEqual(['张三']);
  const path = `/households/${listed.items[0].householdId}`;
  const household = await check('GET /households/{householdId}', WHO.meiwan, path);
  const surveyed = await check('PUT /households/{householdId}/survey', WHO.meiwan, `${path}/survey`, {
    parcels: [{ itemId: 'parcel-1', parcelNumber: 'DK-1', landClass: '水田', areaMu: '1.5' }],
    crops: [{ itemId: 'crop-1', crop: '水稻', areaMu: '1.5' }],
    attachments: [{ itemId: 'attachment-1', item: '水井', unit: '口', quantity: '1' }],
    houses: [{ itemId: 'house-1', structure: '砖混', floorAreaSquareMetres: '88.25', storeys: 1 }],
  });
  const film = await uploadVia('POST /households/{householdId}/uploads', city('urban-management'), `${path}/uploads`, 'house-film', 'video/mp4', Buffer.from(`film ${path}`));
  await check('POST /households/{householdId}/survey/evidence', city('urban-management'), `${path}/survey/evidence`, { purpose: 'house-film', uploadIds: [film] });
  await check('POST /households/{householdId}/houses/{itemId}/legality', city('housing-construction'), `${path}/houses/${surveyed.survey.houses[0].itemId}/legality`, { legality: 'legal', reference: '冷住建认〔2026〕11号' });
  const confirmation = await uploadVia('POST /households/{householdId}/uploads', WHO.meiwan, `${path}/uploads`, 'survey-confirmation', 'image/jpeg', Buffer.from(`confirmation ${path}`));
  await check('POST /households/{householdId}/survey/confirm', WHO.meiwan, `${path}/survey/confirm`, { uploadId: confirmation });
  const memberId = household.members[0].memberId as string;
  await check('POST /households/{householdId}/checks/{memberId}/{kind}', WHO.police, `${path}/checks/${memberId}/hukou`, { passed: true, note: '属实' });
  await check('POST /households/{householdId}/checks/{memberId}/{kind}', city('civil-affairs'), `${path}/checks/${memberId}/military`, { passed: true, note: '退役军人' });
  const list = `/projects/${id}/village-groups/g1/resettlement-list`;
  await check('POST /projects/{projectId}/village-groups/{villageGroupId}/resettlement-list/co-review', WHO.meiwan, `${list}/co-review`, { note: '经会审' });
  await check('POST /projects/{projectId}/village-groups/{villageGroupId}/resettlement-list/approve', WHO.district, `${list}/approve`);
  await check('GET /projects/{projectId}/village-groups/{villageGroupId}/resettlement-list', WHO.meiwan, list);
  const disputed = await check('POST /households/{householdId}/disputes', WHO.meiwan, `${path}/disputes`, { grounds: '面积有误' });
  await check('POST /households/{householdId}/disputes/{disputeId}/resolve', WHO.landBranch, `${path}/disputes/${disputed.disputes[0].disputeId}/resolve`, { outcome: 'upheld', reasons: '复核无误' });
  await check('POST /households/{householdId}/compensation', WHO.landBranch, `${path}/compensation`);
  await check('GET /households/{householdId}/compensation', WHO.meiwan, `${path}/compensation`);
  const disclosure = await check('POST /projects/{projectId}/village-groups/{villageGroupId}/disclosures', WHO.landBranch, `/projects/${id}/village-groups/g1/disclosures`, { postingNote: '公示七日' });
  const posted = await uploadVia('POST /projects/{projectId}/uploads', WHO.meiwan, `/projects/${id}/uploads`, 'disclosure-posting', 'image/jpeg', Buffer.from(`posting ${id}`));
  await check('POST /projects/{projectId}/village-groups/{villageGroupId}/disclosures/{disclosureId}/postings', WHO.meiwan, `/projects/${id}/village-groups/${disclosure.villageGroupId}/disclosures/${disclosure.disclosureId}/postings`, { uploadIds: [posted], postedAt: disclosure.generatedAt, place: '村务公开栏' });
  const drafted = await check('POST /households/{householdId}/agreements', WHO.landBranch, `${path}/agreements`, { mode: { kind: 'cash', optionId: 'money' } });
  const scan = await uploadVia('POST /households/{householdId}/uploads', WHO.landBranch, `${path}/uploads`, 'agreement-scan', 'application/pdf', Buffer.from(`scan ${path}`));
  await check('POST /households/{householdId}/agreements/{agreementId}/sign', WHO.landBranch, `${path}/agreements/${drafted.agreement.agreementId}/sign`, { uploadId: scan, place: '梅湾街道办事处', documentSha256: drafted.document.sha256 });
  await check('GET /households/{householdId}/agreements', WHO.landBranch, `${path}/agreements`);
  await check('GET /households/{householdId}/timeline', WHO.landBranch, `${path}/timeline`);
  return { path, memberId, idNumber: headIdNumber };
}

/**
 * Handover on the signed household, paid in full by paymentRoutes: a refusal, then the handover both parties sign off,
 * clearing, certificates, and the collective's distribution disclosure.
 */
async function handoverRoutes(id: string, householdId: string): Promise<void> {
  const path = `/households/${householdId}`;
  const urban = { agency: 'urban-management', jurisdiction: 'yongzhou' };
  const at = (minutesAgo: number) => new Date(cloud.clock.now() - minutesAgo * 60_000).toISOString();
  expect(await check('GET /households/{householdId}/handover', WHO.meiwan, `${path}/handover`)).toMatchObject({ state: 'not-started', enforcementEligible: false });
  const file = async (key: string, who: { agency: string; jurisdiction: string }, url: string, purpose: string, contentType = 'image/jpeg') => {
    const bytes = Buffer.from(`${purpose} ${url} ${cloud.clock.now()}`);
    const slot = await check(key, who, url, { purpose, contentType, fileName: 'f', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect((await fetch(slot.url, { method: 'PUT', headers: slot.headers, body: bytes })).status).toBe(200);
    return slot.uploadId as string;
  };
  const upload = (who: { agency: string; jurisdiction: string }, purpose: string) => file('POST /households/{householdId}/handover/uploads', who, `${path}/handover/uploads`, purpose);
  const refused = await check('POST /households/{householdId}/handover/refusals', WHO.meiwan, `${path}/handover/refusals`, { refusedAt: at(90), persuasionCount: 2, measures: '两次上门宣讲政策', uploadIds: [await upload(WHO.meiwan, 'refusal-evidence')] });
  expect(refused).toMatchObject({ state: 'refused', enforcementEligible: true });
  await check('POST /households/{householdId}/handover', WHO.meiwan, `${path}/handover`, { handedOverAt: at(60), place: '梅湾村一组', parcels: ['DK-1'], uploadIds: [await upload(WHO.meiwan, 'handover-photo')] });
  expect(await check('POST /households/{householdId}/handover/confirm', WHO.landBranch, `${path}/handover/confirm`, { note: '现场核实' })).toMatchObject({ state: 'handed-over', enforcementEligible: false });
  await check('POST /households/{householdId}/clearing', urban, `${path}/clearing`, { clearedAt: at(30), uploadIds: [await upload(urban, 'clearing-photo')] });
  const today = new Date(cloud.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  await check('POST /households/{householdId}/certificate-cancellations', WHO.landBranch, `${path}/certificate-cancellations`, { certificates: [{ kind: 'house-ownership', number: '冷房权证字第 0012 号' }], registrationIds: [], cancelledOn: today });
  const group = `/projects/${id}/village-groups/g1/collective-distributions`;
  const posting = await file('POST /projects/{projectId}/village-groups/{villageGroupId}/collective-distributions/uploads', WHO.meiwan, `${group}/uploads`, 'distribution-posting');
  const plan = await file('POST /projects/{projectId}/village-groups/{villageGroupId}/collective-distributions/uploads', WHO.meiwan, `${group}/uploads`, 'distribution-plan', 'application/pdf');
  await check('POST /projects/{projectId}/village-groups/{villageGroupId}/collective-distributions', WHO.meiwan, group, { postedAt: at(10), distributedFen: 300_000_00, postingUploadIds: [posting], planUploadIds: [plan] });
  await check('GET /projects/{projectId}/village-groups/{villageGroupId}/collective-distributions', WHO.district, group);
  await check('GET /households/{householdId}/handover', WHO.district, `${path}/handover`);
}

/**
 * Finance pays the signed household through the bank simulator: the plan previewed, one payment
 * per payee (one of them rejected by the bank and corrected), the bank's signed callbacks; and a
 * callback signed here with the stage's secret (as the bank signs it) answered as the schema says.
 */
async function paymentRoutes(id: string, signed: { path: string; memberId: string }): Promise<void> {
  const finance = { agency: 'finance', jurisdiction: 'yongzhou' };
  const clerk = { ...finance, user: 'qian.fin' };
  const subsidyScan = Buffer.from(`subsidy voucher ${id}`);
  const slot = await call(clerk, 'POST', `/projects/${id}/account/uploads`, { purpose: 'subsidy-voucher', contentType: 'application/pdf', fileName: 'sb.pdf', size: subsidyScan.length, sha256: createHash('sha256').update(subsidyScan).digest('hex') });
  expect((await fetch(slot.body.url, { method: 'PUT', headers: slot.body.headers, body: subsidyScan })).status).toBe(200);
  const subsidy = await call(clerk, 'POST', `/projects/${id}/account/deposits`, { fund: 'social-security-subsidy', amountFen: 100_000_00, voucherNumber: 'SB-2026-001', valueDate: '2026-10-20', uploadId: slot.body.uploadId });
  expect((await call(finance, 'POST', `/projects/${id}/account/deposits/${subsidy.body.depositId}/confirm`)).status).toBe(200);

  const preview = await check('GET /households/{householdId}/payments', finance, `${signed.path}/payments?subsidyTo=resettled-persons`);
  const groups = (preview.plan.payouts as Array<{ payeeGroup: string }>).map((p) => p.payeeGroup);
  expect(groups).toEqual(['collective', 'household', `person-${signed.memberId}`, 'social-security-fund']);
  const rejectedKey = `${preview.agreement.agreementId}:household:1`;
  cloud.bank!.setFaults({ forced: { [rejectedKey]: { reject: 'account-closed' } } });
  const accounts = groups.map((payeeGroup, i) => ({ payeeGroup, accountName: payeeGroup === 'collective' ? '梅湾村一组' : payeeGroup === 'social-security-fund' ? '永州市社会保险基金专户' : '张三', bankName: '中国农业银行冷水滩支行', accountNumber: `62284800112233${String(4450 + i)}` }));
  const instructed = await check('POST /households/{householdId}/payments', finance, `${signed.path}/payments`, { instalment: 1, subsidyTo: 'resettled-persons', accounts });
  expect(instructed.payments).toHaveLength(4);
  // A further execution for a payment still in the bank's hands decides from the record: paid once all the same.
  expect(await check('POST /payments/{paymentId}/workflow', finance, `/payments/${encodeURIComponent(instructed.payments[0].paymentId)}/workflow`)).toMatchObject({ status: expect.stringMatching(/^(instructed|sent)$/) });
  await cloud.advance(60_000);
  const corrected = await check('POST /payments/{paymentId}/correction', finance, `/payments/${encodeURIComponent(rejectedKey)}/correction`, { accountName: '张三', bankName: '中国工商银行永州分行', accountNumber: '6222020200112233445' });
  expect(corrected.correction).toMatchObject({ paymentId: `${rejectedKey}:r1`, corrects: rejectedKey });
  await cloud.advance(60_000);
  const paid = await check('GET /households/{householdId}/payments', WHO.landBranch, `${signed.path}/payments`);
  expect(paid.status).toMatchObject({ outstandingFen: 0, paidInFullAt: expect.any(String) });

  // A callback signed with the stage's secret, as the bank signs it: a repeat of a settlement already recorded.
  const secretArn = cloud.blueprint.functions.map((f) => f.environment.BANK_CALLBACK_SECRET_ARN).find(Boolean)!;
  const secrets = new SecretsManagerClient({ endpoint: cloud.endpoints.secrets, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const secret = (await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString!;
  secrets.destroy();
  const settled = (paid.payments as Array<{ paymentId: string; status: string; amountFen: number; confirmation?: { bankReference: string; settledAt: string } }>).find((p) => p.status === 'confirmed')!;
  const body = JSON.stringify({ idempotencyKey: settled.paymentId, status: 'settled', bankReference: settled.confirmation!.bankReference, at: settled.confirmation!.settledAt, amountFen: settled.amountFen });
  const route = ROUTES.get('POST /bank/callbacks')!;
  const response = await fetch(`${cloud.apiUrl}/bank/callbacks`, { method: 'POST', headers: { 'content-type': 'application/json', ...signedCallbackHeaders(secret, body, cloud.clock.now(), randomUUID()) }, body });
  expect(response.status).toBe(200);
  const answer = await response.json();
  expect(route.response.safeParse(answer).error?.issues ?? []).toEqual([]);
  checked.add('POST /bank/callbacks');
  // The handover and clearing below are stated at times after the settlement.
  await cloud.advance(3 * 3_600_000);
}

/** The dedicated account: an investment group deposits with its voucher scan, finance confirms, the land bureau reads. */
async function accountRoutes(id: string): Promise<void> {
  const investment = { agency: 'investment-group', jurisdiction: 'yongzhou' };
  const finance = { agency: 'finance', jurisdiction: 'yongzhou' };
  const scan = Buffer.from(`voucher ${id}`);
  const slot = await check('POST /projects/{projectId}/account/uploads', investment, `/projects/${id}/account/uploads`, { contentType: 'application/pdf', fileName: 'voucher.pdf', size: scan.length, sha256: createHash('sha256').update(scan).digest('hex') });
  expect((await fetch(slot.url, { method: 'PUT', headers: slot.headers, body: scan })).status).toBe(200);
  const deposit = await check('POST /projects/{projectId}/account/deposits', investment, `/projects/${id}/account/deposits`, { amountFen: 500_000_00, voucherNumber: 'HD-2026-001', valueDate: '2026-10-20', uploadId: slot.uploadId });
  await check('POST /projects/{projectId}/account/deposits/{depositId}/confirm', finance, `/projects/${id}/account/deposits/${deposit.depositId}/confirm`);
  // A second deposit recorded in error, then voided by finance: a new entry, the balance as before.
  const wrongScan = Buffer.from(`voucher ${id} (wrong)`);
  const wrongSlot = await check('POST /projects/{projectId}/account/uploads', investment, `/projects/${id}/account/uploads`, { contentType: 'application/pdf', fileName: 'voucher-2.pdf', size: wrongScan.length, sha256: createHash('sha256').update(wrongScan).digest('hex') });
  expect((await fetch(wrongSlot.url, { method: 'PUT', headers: wrongSlot.headers, body: wrongScan })).status).toBe(200);
  const wrong = await check('POST /projects/{projectId}/account/deposits', investment, `/projects/${id}/account/deposits`, { amountFen: 1_00, voucherNumber: 'HD-2026-002', valueDate: '2026-10-20', uploadId: wrongSlot.uploadId });
  const reversed = await check('POST /projects/{projectId}/account/deposits/{depositId}/reversal', finance, `/projects/${id}/account/deposits/${wrong.depositId}/reversal`, { entry: 'deposit', reason: '重复登记' });
  expect(reversed).toMatchObject({ entry: { kind: 'reversal', depositId: wrong.depositId }, balanceFen: 500_000_00 });
  const account = await check('GET /projects/{projectId}/account', WHO.landBranch, `/projects/${id}/account?limit=10`);
  expect(account.balances[0]).toEqual({ fund: 'compensation', name: '征地补偿资金', confirmedFen: 500_000_00, balanceFen: 500_000_00 });
  expect(account.entries.map((e: { kind: string }) => e.kind)).toEqual(['reversal', 'deposit-recorded', 'deposit-confirmed', 'deposit-recorded']);
  expect(account.unconfirmed).toEqual([]);
  const reconciled = await check('GET /projects/{projectId}/account/reconciliation', finance, `/projects/${id}/account/reconciliation`);
  expect(reconciled).toMatchObject({ entries: 4, agrees: true });
}

/** Social security of the signed household's resettled person (paid in full by paymentRoutes): finance transfers the subsidy, HR enrols. */
async function socialSecurityRoutes(signed: { path: string; memberId: string; idNumber: string }): Promise<void> {
  const finance = { agency: 'finance', jurisdiction: 'yongzhou' };
  const hr = { agency: 'hr-social-security', jurisdiction: 'yongzhou' };
  const view = await check('GET /households/{householdId}/social-security', WHO.landBranch, `${signed.path}/social-security`);
  expect(view.persons).toEqual([expect.objectContaining({ memberId: signed.memberId, status: 'awaiting-transfer' })]);
  const today = beijingDate(cloud.clock.now());
  await check('POST /households/{householdId}/social-security/{memberId}/transfer', finance, `${signed.path}/social-security/${signed.memberId}/transfer`, { amountFen: view.persons[0].lineFen, transferDate: today, voucherNumber: 'SB-2026-001' });
  const enrolled = await check('POST /households/{householdId}/social-security/{memberId}/enrolment', hr, `${signed.path}/social-security/${signed.memberId}/enrolment`, { pension: 'urban-rural-resident', medical: 'urban-rural-resident', enrolmentDate: today, socialSecurityNumber: signed.idNumber });
  expect(enrolled.enrolment.socialSecurityNumberMasked).toBe(`${signed.idNumber.slice(0, 4)}**********${signed.idNumber.slice(-4)}`);
  const timeline = await call(WHO.landBranch, 'GET', `${signed.path}/timeline`);
  expect(timeline.body.steps).toContainEqual(expect.objectContaining({ step: '社会保障：张三', status: 'done', responsibleAgency: 'hr-social-security' }));
}
