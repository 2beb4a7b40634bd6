import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { LOCAL_CREDENTIALS } from '../../infra/local/servers/net.ts';
import { idNumber, surveySpec, writeWorkbook } from '../../services/compensation/adapters/workbook/test-helpers.ts';
import { formatYuan } from '../../shared/money.ts';
import { apiClient, PLAN_DRAFT, publishNoticeViaApi, startTestCloud, WHO } from '../support/local-cloud.ts';
import { planApprovedViaApi } from '../support/oversight.ts';

/**
 * The households procedure (seed §五(一)4, §三(三)(七)(九)(十)(十二)) end to end through the local
 * HTTP API with real tokens: the survey workbook from the template, its import on the survey-imports
 * workflow, evidence, legality, confirmation, member checks, the resettlement list, a dispute, the
 * computation, the disclosure, the agreement with its PDF, signing and the 3-month payment clock.
 */
const CLOCK_START = '2026-09-01T09:00:00+08:00';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const AGENCY = {
  urbanManagement: { agency: 'urban-management', jurisdiction: 'yongzhou' },
  housing: { agency: 'housing-construction', jurisdiction: 'yongzhou' },
  civilAffairs: { agency: 'civil-affairs', jurisdiction: 'yongzhou' },
  court: { agency: 'intermediate-court', jurisdiction: 'yongzhou' },
} as const;

/** Clear ID numbers written into the workbook: they must appear in no answer and no document. */
const ID = {
  head: idNumber('1968-03-02', 11),
  spouse: idNumber('1970-07-15', 22),
  soldier: idNumber('1998-11-20', 33),
  other: idNumber('1975-01-09', 44),
  rejected: idNumber('1980-05-05', 55),
};
const masked = (id: string) => `${id.slice(0, 4)}**********${id.slice(-4)}`;

let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;
let work: string;

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: CLOCK_START });
  call = apiClient(cloud);
  work = mkdtempSync(join(tmpdir(), 'household-procedure-'));
});
afterAll(async () => {
  await cloud?.stop();
});

/** Asks for a presigned upload slot and PUTs the bytes with exactly the headers it names. */
async function upload(who: { agency: string; jurisdiction: string }, path: string, purpose: string, contentType: string, fileName: string, bytes: Buffer): Promise<string> {
  const slot = await call(who, 'POST', path, { purpose, contentType, fileName, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  expect(slot.status, JSON.stringify(slot.body)).toBe(201);
  const put = await fetch(slot.body.url, { method: 'PUT', headers: slot.body.headers, body: bytes });
  expect(put.status).toBe(200);
  return slot.body.uploadId as string;
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** Every cell's text of every sheet of a workbook. */
async function workbookText(bytes: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook.worksheets.map((sheet) => {
    const cells: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.text)));
    return [sheet.name, ...cells];
  });
}

/** Lets the survey-imports workflow run on the local Step Functions and polls the job until it is no longer running. */
async function awaitJob(projectId: string, jobId: string, who: { agency: string; jurisdiction: string } = WHO.landBranch): Promise<any> {
  for (let attempt = 0; attempt < 50; attempt++) {
    await cloud.advance(0);
    const polled = await call(who, 'GET', `/projects/${projectId}/survey-imports/${jobId}`);
    expect(polled.status).toBe(200);
    if (polled.body.status !== 'running') return polled.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`import ${jobId} still running`);
}

async function itemCounts(): Promise<number[]> {
  const db = new DynamoDBClient({ endpoint: cloud.endpoints.dynamodb, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const counts = await Promise.all(cloud.blueprint.tables.map(async (t) => (await db.send(new ScanCommand({ TableName: t.name, Select: 'COUNT' }))).Count ?? 0));
  db.destroy();
  return counts;
}

it('refusals along the way: a file that is no workbook, a re-import, evidence that is not what was declared, a confirmed survey, nothing computed before the standard is locked', async () => {
  // The plan is drafted, not published: surveys are checked against its draft standard.
  const { projectId } = await publishNoticeViaApi(call);
  expect((await call(WHO.landBranch, 'PUT', `/projects/${projectId}/plan`, PLAN_DRAFT)).status).toBe(200);

  // Not an .xlsx at all: the job ends failed with the reason in Chinese, no error class or stack trace.
  const garbage = Buffer.from('this is not a workbook');
  const garbageUpload = await upload(WHO.landBranch, `/projects/${projectId}/uploads`, 'survey-workbook', XLSX, '调查表.xlsx', garbage);
  const garbageJob = await call(WHO.landBranch, 'POST', `/projects/${projectId}/survey-imports`, { uploadId: garbageUpload });
  expect(garbageJob.status).toBe(202);
  const failed = await awaitJob(projectId, garbageJob.body.jobId);
  expect(failed).toMatchObject({ status: 'failed', failure: '导入失败：文件无法读取：请上传由调查表模板填写的 .xlsx 文件', counts: { created: 0 } });
  // An upload is used once.
  expect((await call(WHO.landBranch, 'POST', `/projects/${projectId}/survey-imports`, { uploadId: garbageUpload })).body.error.code).toBe('upload.used');

  // The same households imported twice: the second import changes nothing.
  const key = { villageGroupId: 'g1', householdNumber: '101' };
  const workbook = await writeWorkbook(surveySpec({ 户及成员: [{ ...key, headName: '孙七', name: '孙七', relation: '户主', idNumber: idNumber('1960-02-02', 66) }], 土地: [{ ...key, itemKey: 1, parcelNumber: 'DK-101-1', landClass: '水田', areaMu: '0.8' }] }));
  const first = await call(WHO.meiwan, 'POST', `/projects/${projectId}/survey-imports`, { uploadId: await upload(WHO.meiwan, `/projects/${projectId}/uploads`, 'survey-workbook', XLSX, 'a.xlsx', workbook) });
  expect(await awaitJob(projectId, first.body.jobId, WHO.meiwan)).toMatchObject({ status: 'completed', counts: { created: 1 } });
  const again = await call(WHO.meiwan, 'POST', `/projects/${projectId}/survey-imports`, { uploadId: await upload(WHO.meiwan, `/projects/${projectId}/uploads`, 'survey-workbook', XLSX, 'b.xlsx', workbook) });
  expect(await awaitJob(projectId, again.body.jobId, WHO.meiwan)).toMatchObject({ status: 'completed', counts: { created: 0, unchanged: 1 } });
  const householdId = (await call(WHO.meiwan, 'GET', `/projects/${projectId}/households?villageGroupId=g1`)).body.items[0].householdId as string;
  const path = `/households/${householdId}`;

  // Bytes that are not the declared ones: the bucket refuses them (the SHA-256 is a signed header, as
  // S3 checks it), and the slot cannot be used for a confirmation (4xx, Chinese), nothing recorded.
  const declared = Buffer.from('the confirmation as declared');
  const slot = await call(WHO.meiwan, 'POST', `${path}/uploads`, { purpose: 'survey-confirmation', contentType: 'image/jpeg', fileName: 'c.jpg', size: declared.length, sha256: createHash('sha256').update(declared).digest('hex') });
  expect(slot.status).toBe(201);
  const other = Buffer.from('another picture'.padEnd(declared.length, '.'));
  expect((await fetch(slot.body.url, { method: 'PUT', headers: slot.body.headers, body: other })).status).toBe(400);
  const refused = await call(WHO.meiwan, 'POST', `${path}/survey/confirm`, { uploadId: slot.body.uploadId });
  expect(refused.status).toBe(422);
  expect(refused.body.error).toMatchObject({ code: 'evidence.missing', message: expect.stringMatching(/[\u4e00-\u9fff]/) });
  expect((await call(WHO.meiwan, 'GET', path)).body.survey.status).toBe('draft');

  // Confirmed, the survey is no longer edited; nothing is computed or agreed before the standard is locked.
  const confirmation = Buffer.from(`confirmation ${householdId}`);
  expect((await call(WHO.meiwan, 'POST', `${path}/survey/confirm`, { uploadId: await upload(WHO.meiwan, `${path}/uploads`, 'survey-confirmation', 'image/jpeg', 'c.jpg', confirmation) })).status).toBe(200);
  const edit = await call(WHO.meiwan, 'PUT', `${path}/survey`, { parcels: [{ itemId: 'parcel-1', parcelNumber: 'DK-101-1', landClass: '水田', areaMu: '0.9' }], crops: [], attachments: [], houses: [] });
  expect([409, 422]).toContain(edit.status);
  expect(edit.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  const computed = await call(WHO.landBranch, 'POST', `${path}/compensation`);
  expect(computed.status).toBe(422);
  expect(computed.body.error.code).toBe('compensation.standard-not-locked');
  const agreement = await call(WHO.landBranch, 'POST', `${path}/agreements`, { mode: { kind: 'cash', optionId: 'money' } });
  expect(agreement.status).toBe(422);
  expect(agreement.body.error.code).toBe('compensation.standard-not-locked');
});

it('template → workbook import → evidence, legality, confirmation, checks, list → dispute → computation → disclosure → agreement → signing → payment clock overdue', { timeout: 240_000 }, async () => {
  // Its dates follow from the file's clock start (the other test moves the clock by minutes at most).
  expect(cloud.clock.now() - Date.parse(CLOCK_START), 'the clock moved too far before the walk').toBeLessThan(3_600_000);
  // ---- the project: notice published and posted, the plan published (the standard locked) ----
  const { projectId } = await publishNoticeViaApi(call);
  expect((await call(WHO.landBranch, 'PUT', `/projects/${projectId}/plan`, PLAN_DRAFT)).status).toBe(200);
  expect((await call(WHO.legal, 'POST', `/projects/${projectId}/plan/review`, { decision: 'approve' })).status).toBe(200);
  await planApprovedViaApi(cloud, call, projectId);
  const plan = await call(WHO.landBranch, 'POST', `/projects/${projectId}/plan/publish`);
  expect(plan.status).toBe(200);
  expect(plan.body.deadline.status).toBe('met');

  // ---- the template: a presigned download, read with exceljs, lists from the locked standard ----
  const template = await call(WHO.landBranch, 'GET', `/projects/${projectId}/survey-template`);
  expect(template.status, JSON.stringify(template.body)).toBe(200);
  const templateBytes = await download(template.body.url);
  expect(createHash('sha256').update(templateBytes).digest('hex')).toBe(template.body.sha256);
  expect(template.body.fileName).toMatch(/\.xlsx$/);
  const templateSheets = await workbookText(templateBytes);
  expect(templateSheets.map((s) => s[0])).toEqual(expect.arrayContaining(['户及成员', '土地', '青苗', '附着物', '房屋']));
  expect(templateSheets.find((s) => s[0] === '土地')).toEqual(expect.arrayContaining(['村民小组编号', '户编号', '序号', '地块编号', '地类', '面积（亩）']));

  // ---- a filled workbook: 张三's household (g1, a serving soldier), 王五's (g2), 赵六's with a bad area (g1) ----
  const g1 = { villageGroupId: 'g1', householdNumber: '001' };
  const g2 = { villageGroupId: 'g2', householdNumber: '002' };
  const bad = { villageGroupId: 'g1', householdNumber: '003' };
  const workbook = await writeWorkbook(
    surveySpec({
      户及成员: [
        { ...g1, headName: '张三', name: '张三', relation: '户主', idNumber: ID.head },
        { ...g1, headName: '张三', name: '李四', relation: '配偶', idNumber: ID.spouse },
        { ...g1, headName: '张三', name: '张小兵', relation: '子女', idNumber: ID.soldier, military: '现役' },
        { ...g2, headName: '王五', name: '王五', relation: '户主', idNumber: ID.other },
        { ...bad, headName: '赵六', name: '赵六', relation: '户主', idNumber: ID.rejected },
      ],
      土地: [
        { ...g1, itemKey: 1, parcelNumber: 'DK-001-1', landClass: '水田', areaMu: '1.2345' },
        { ...g2, itemKey: 1, parcelNumber: 'DK-002-1', landClass: '水田', areaMu: '0.5' },
        { ...bad, itemKey: 1, parcelNumber: 'DK-003-1', landClass: '水田', areaMu: '约一亩' },
      ],
      青苗: [{ ...g1, itemKey: 1, crop: '水稻', areaMu: '1.2345' }],
      附着物: [{ ...g1, itemKey: 1, item: '水井', unit: '口', quantity: 1 }],
      房屋: [{ ...g1, itemKey: 1, structure: '砖混', floorAreaSquareMetres: '120.5', storeys: 2 }],
    }),
  );
  const workbookUpload = await upload(WHO.landBranch, `/projects/${projectId}/uploads`, 'survey-workbook', XLSX, '调查表.xlsx', workbook);
  const started = await call(WHO.landBranch, 'POST', `/projects/${projectId}/survey-imports`, { uploadId: workbookUpload });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.body).toMatchObject({ status: 'running', rowsDone: 0, fileSha256: createHash('sha256').update(workbook).digest('hex') });

  // The survey-imports workflow runs on the local Step Functions: let it settle, then poll.
  const job = await awaitJob(projectId, started.body.jobId);
  expect(job).toMatchObject({ status: 'completed', rowsTotal: 11, rowsDone: 11, counts: { households: 3, created: 2, updated: 0, unchanged: 0, rejected: 1, confirmedKept: 0 }, errorCount: 1 });
  expect(job.errors).toEqual([expect.objectContaining({ sheet: '土地', row: 4, column: '面积（亩）（F列）', code: 'household.quantity-malformed', message: expect.stringContaining('约一亩') })]);
  // The import's answers never carry a clear ID number.
  expect(JSON.stringify(job)).not.toMatch(new RegExp(Object.values(ID).join('|')));

  const listed = await call(WHO.meiwan, 'GET', `/projects/${projectId}/households?villageGroupId=g1`);
  expect(listed.status).toBe(200);
  expect(listed.body.items.map((h: { householdNumber: string }) => h.householdNumber)).toEqual(['001']);
  const householdId = listed.body.items[0].householdId as string;
  const path = `/households/${householdId}`;
  const household = (await call(WHO.meiwan, 'GET', path)).body;
  expect(household).toMatchObject({ headName: '张三', state: 'surveying', survey: { status: 'draft', parcels: [{ areaMu: '1.2345' }], houses: [{ legality: 'pending' }] } });
  expect(household.members.map((m: { name: string; idNumberMasked: string }) => [m.name, m.idNumberMasked])).toEqual([
    ['张三', masked(ID.head)],
    ['李四', masked(ID.spouse)],
    ['张小兵', masked(ID.soldier)],
  ]);
  const memberOf = (name: string) => household.members.find((m: { name: string }) => m.name === name).memberId as string;
  const houseId = household.survey.houses[0].itemId as string;

  // ---- who may not: another township, the court; a float quantity is refused (4xx, Chinese, nothing written) ----
  for (const [who, method, route] of [
    [WHO.yitang, 'GET', path],
    [WHO.yitang, 'GET', `${path}/timeline`],
    [AGENCY.court, 'GET', path],
    [AGENCY.court, 'GET', `${path}/timeline`],
    [AGENCY.court, 'POST', `${path}/compensation`],
  ] as const) {
    const refused = await call(who, method, route);
    expect(refused.status, `${who.agency} ${method} ${route}`).toBe(403);
    expect(refused.body.error.code).toMatch(/^forbidden\./);
  }
  const before = await itemCounts();
  const floatSurvey = await call(WHO.meiwan, 'PUT', `${path}/survey`, { parcels: [{ itemId: 'parcel-1', parcelNumber: 'DK-001-1', landClass: '水田', areaMu: 1.2345 }], crops: [], attachments: [], houses: [] });
  expect(floatSurvey.status).toBe(400);
  expect(floatSurvey.body.error.code).toBe('request.invalid');
  expect(floatSurvey.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  const unknownClass = await call(WHO.meiwan, 'PUT', `${path}/survey`, { parcels: [{ itemId: 'parcel-1', parcelNumber: 'DK-001-1', landClass: '林地', areaMu: '1.2345' }], crops: [], attachments: [], houses: [] });
  // A class the locked standard lacks is refused when recorded, not at computation.
  expect(unknownClass.status).toBe(400);
  expect(unknownClass.body.error).toMatchObject({ code: 'compensation.unknown-land-class', message: expect.stringContaining('林地') });
  expect(await itemCounts()).toEqual(before);

  // ---- evidence: urban management films the house ----
  const film = Buffer.from(`house film of ${householdId}`);
  const filmUpload = await upload(AGENCY.urbanManagement, `${path}/uploads`, 'house-film', 'video/mp4', 'house.mp4', film);
  const filmed = await call(AGENCY.urbanManagement, 'POST', `${path}/survey/evidence`, { purpose: 'house-film', uploadIds: [filmUpload] });
  expect(filmed.status, JSON.stringify(filmed.body)).toBe(200);
  expect(filmed.body.survey.evidence).toEqual([expect.objectContaining({ sha256: createHash('sha256').update(film).digest('hex'), size: film.length, contentType: 'video/mp4', uploadedBy: expect.objectContaining({ agency: 'urban-management' }) })]);

  // ---- housing-construction determines the house legal ----
  expect((await call(WHO.landBranch, 'POST', `${path}/houses/${houseId}/legality`, { legality: 'legal', reference: '冷住建认〔2026〕11号' })).status).toBe(403);
  const determined = await call(AGENCY.housing, 'POST', `${path}/houses/${houseId}/legality`, { legality: 'legal', reference: '冷住建认〔2026〕11号' });
  expect(determined.status, JSON.stringify(determined.body)).toBe(200);
  expect(determined.body.survey.houses[0]).toMatchObject({ legality: 'legal', determination: { reference: '冷住建认〔2026〕11号', by: { agency: 'housing-construction' } } });

  // ---- the household's signed confirmation opens the member checks ----
  const confirmation = Buffer.from(`signed confirmation of ${householdId}`);
  const confirmationUpload = await upload(WHO.meiwan, `${path}/uploads`, 'survey-confirmation', 'image/jpeg', 'confirm.jpg', confirmation);
  const confirmed = await call(WHO.meiwan, 'POST', `${path}/survey/confirm`, { uploadId: confirmationUpload });
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  expect(confirmed.body).toMatchObject({ state: 'confirmed', survey: { status: 'confirmed' } });
  expect(confirmed.body.checks.map((c: { kind: string; memberId: string; status: string }) => `${c.kind}:${c.memberId}:${c.status}`).sort()).toEqual(
    [`hukou:${memberOf('张三')}:pending`, `hukou:${memberOf('李四')}:pending`, `hukou:${memberOf('张小兵')}:pending`, `military:${memberOf('张小兵')}:pending`].sort(),
  );
  const policeInbox = await call(WHO.police, 'GET', '/inbox');
  expect(policeInbox.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'survey-confirmed', projectId })]));

  // ---- public security checks two members; the list is co-reviewed; approval waits for every check ----
  for (const name of ['张三', '李四']) {
    const checked = await call(WHO.police, 'POST', `${path}/checks/${memberOf(name)}/hukou`, { passed: true, note: '以通告发布之日户籍为准，属实' });
    expect(checked.status, JSON.stringify(checked.body)).toBe(200);
  }
  expect((await call(WHO.police, 'POST', `${path}/checks/${memberOf('张小兵')}/military`, { passed: true, note: '越权' })).status).toBe(403);
  const coReviewed = await call(WHO.meiwan, 'POST', `/projects/${projectId}/village-groups/g1/resettlement-list/co-review`, { note: '经乡镇会审' });
  expect(coReviewed.status, JSON.stringify(coReviewed.body)).toBe(200);
  expect(coReviewed.body.stage).toBe('awaiting-approval');
  const early = await call(WHO.district, 'POST', `/projects/${projectId}/village-groups/g1/resettlement-list/approve`);
  expect(early.status).toBe(422);
  expect(early.body.error.code).toBe('resettlement-list.checks-outstanding');
  expect(early.body.error.message).toContain('2 项');
  expect((await call(WHO.police, 'POST', `${path}/checks/${memberOf('张小兵')}/hukou`, { passed: true, note: '属实' })).status).toBe(200);
  const military = await call(AGENCY.civilAffairs, 'POST', `${path}/checks/${memberOf('张小兵')}/military`, { passed: true, note: '现役军人，按政策安置' });
  expect(military.status, JSON.stringify(military.body)).toBe(200);
  const approved = await call(WHO.district, 'POST', `/projects/${projectId}/village-groups/g1/resettlement-list/approve`);
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  expect(approved.body).toMatchObject({ stage: 'approved', approval: { householdIds: [householdId] } });
  expect(approved.body.approval.persons.map((p: { name: string }) => p.name).sort()).toEqual(['张三', '张小兵', '李四'].sort());

  // ---- a dispute, raised and upheld; no agreement while it is open ----
  const raised = await call(WHO.meiwan, 'POST', `${path}/disputes`, { grounds: '认为房屋面积丈量偏小' });
  expect(raised.status, JSON.stringify(raised.body)).toBe(201);
  expect(raised.body.state).toBe('disputed');
  const disputeId = raised.body.disputes[0].disputeId as string;
  const resolved = await call(WHO.landBranch, 'POST', `${path}/disputes/${disputeId}/resolve`, { outcome: 'upheld', reasons: '复核丈量结果无误' });
  expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
  expect(resolved.body).toMatchObject({ state: 'confirmed', disputes: [{ status: 'upheld' }] });

  // ---- the computation from the locked standard ----
  const computed = await call(WHO.landBranch, 'POST', `${path}/compensation`);
  expect(computed.status, JSON.stringify(computed.body)).toBe(200);
  expect(computed.body).toMatchObject({ final: true, blockers: [] });
  const totalFen = computed.body.totalFen as number;
  // Yuan: land 59,256.00 + subsidy 39,504.00 + rice 1,851.75 + well 800.00 + house 120.5 m² × 980 = 118,090.00 + social security 3 × 25,000.
  expect(totalFen).toBe(29_450_175);
  expect(totalFen).toBe(computed.body.lines.reduce((sum: number, l: { amountFen: number }) => sum + l.amountFen, 0));
  // 1.2345 mu of paddy at 48,000 yuan/mu: 59,256.00 yuan, exactly.
  expect(computed.body.lines.find((l: { kind: string }) => l.kind === 'land-compensation')).toMatchObject({ quantity: '1.2345', amountFen: 5_925_600 });
  // The three approved persons each get social security.
  expect(computed.body.lines.filter((l: { kind: string }) => l.kind === 'social-security').map((l: { amountFen: number }) => l.amountFen)).toEqual([2_500_000, 2_500_000, 2_500_000]);

  // ---- the disclosure of g1: a PDF and an .xlsx, masked ID numbers only ----
  const disclosure = await call(WHO.landBranch, 'POST', `/projects/${projectId}/village-groups/g1/disclosures`, { postingNote: '公示期间如有异议，请向梅湾街道办事处反映' });
  expect(disclosure.status, JSON.stringify(disclosure.body)).toBe(201);
  expect(disclosure.body).toMatchObject({ villageGroupId: 'g1', totalFen, households: [{ householdId, householdNumber: '001', totalFen }] });
  const disclosurePdf = await download(disclosure.body.urls.pdf);
  expect(createHash('sha256').update(disclosurePdf).digest('hex')).toBe(disclosure.body.documents.pdf.sha256);
  writeFileSync(join(work, 'disclosure.pdf'), disclosurePdf);
  const disclosureText = run('pdftotext', ['-enc', 'UTF-8', join(work, 'disclosure.pdf'), '-']);
  expect(disclosureText).toContain('张三');
  expect(disclosureText).toContain(masked(ID.head));
  expect(disclosureText).toContain(formatYuan(totalFen));
  const disclosureSheets = (await workbookText(await download(disclosure.body.urls.xlsx))).flat().join('\n');
  expect(disclosureSheets).toContain('张小兵');
  expect(disclosureSheets).toContain(masked(ID.soldier));
  for (const clear of Object.values(ID)) {
    expect(disclosureText).not.toContain(clear);
    expect(disclosureSheets).not.toContain(clear);
  }

  // ---- nothing is signed before it was disclosed: the township posts the disclosure with a photo ----
  const notDisclosed = await call(WHO.landBranch, 'POST', `${path}/agreements`, { mode: { kind: 'cash', optionId: 'money' } });
  expect(notDisclosed.status).toBe(422);
  expect(notDisclosed.body.error.code).toBe('agreement.not-disclosed');
  const photo = await upload(WHO.meiwan, `/projects/${projectId}/uploads`, 'disclosure-posting', 'image/jpeg', '公示.jpg', Buffer.from('photo of the disclosure on the board'));
  const postedAt = new Date(cloud.clock.now()).toISOString();
  const posting = await call(WHO.meiwan, 'POST', `/projects/${projectId}/village-groups/g1/disclosures/${disclosure.body.disclosureId}/postings`, { uploadIds: [photo], postedAt, place: '梅湾村村务公开栏' });
  expect(posting.status, JSON.stringify(posting.body)).toBe(200);
  expect(posting.body.postings).toHaveLength(1);

  // ---- the agreement: drafted with its PDF, read back as text and as an image ----
  const drafted = await call(WHO.landBranch, 'POST', `${path}/agreements`, { mode: { kind: 'cash', optionId: 'money' } });
  expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
  expect(drafted.body.agreement).toMatchObject({ status: 'drafted', totalFen, householdId });
  const agreementPdf = await download(drafted.body.document.url);
  const documentSha256 = createHash('sha256').update(agreementPdf).digest('hex');
  expect(documentSha256).toBe(drafted.body.document.sha256);
  writeFileSync(join(work, 'agreement.pdf'), agreementPdf);
  run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', join(work, 'agreement.pdf'), join(work, 'agreement')]);
  const png = readFileSync(join(work, 'agreement-1.png'));
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.length).toBeGreaterThan(5_000);
  const agreementText = run('pdftotext', ['-enc', 'UTF-8', join(work, 'agreement.pdf'), '-']);
  expect(agreementText).toContain('张三');
  expect(agreementText).toContain(formatYuan(totalFen));
  expect(agreementText).not.toContain(ID.head);

  // ---- signing on Tuesday 15 September: the scan uploaded, the 3-month payment clock starts ----
  await cloud.advance(Date.parse('2026-09-15T10:00:00+08:00') - cloud.clock.now());
  const scan = Buffer.concat([agreementPdf, Buffer.from('\n% signed and scanned')]);
  const scanUpload = await upload(WHO.landBranch, `${path}/uploads`, 'agreement-scan', 'application/pdf', 'signed.pdf', scan);
  const agreementId = drafted.body.agreement.agreementId as string;
  const wrongText = await call(WHO.landBranch, 'POST', `${path}/agreements/${agreementId}/sign`, { uploadId: scanUpload, place: '梅湾街道办事处', documentSha256: 'a'.repeat(64) });
  // The scan must be of the text the system generated.
  expect(wrongText.status).toBe(422);
  expect(wrongText.body.error.code).toBe('agreement.document-mismatch');
  const signed = await call(WHO.landBranch, 'POST', `${path}/agreements/${agreementId}/sign`, { uploadId: scanUpload, place: '梅湾街道办事处', documentSha256 });
  expect(signed.status, JSON.stringify(signed.body)).toBe(200);
  expect(signed.body.agreement).toMatchObject({ status: 'signed', documentSha256, signed: { place: '梅湾街道办事处', evidence: { sha256: createHash('sha256').update(scan).digest('hex') } } });
  expect(signed.body.payment).toMatchObject({ ruleId: 'compensation-payment', lastDay: '2026-12-15', dueAt: '2026-12-15T16:00:00.000Z' });
  expect((await call(WHO.meiwan, 'GET', path)).body.state).toBe('signed');

  const paymentStep = async () => {
    const timeline = await call(WHO.landBranch, 'GET', `${path}/timeline`);
    expect(timeline.status, JSON.stringify(timeline.body)).toBe(200);
    return timeline.body.steps.find((s: { step: string }) => s.step === '足额支付征地补偿款');
  };
  const timeline = await call(WHO.landBranch, 'GET', `${path}/timeline`);
  const steps = Object.fromEntries((timeline.body.steps as Array<{ step: string }>).map((s) => [s.step, s]));
  expect(steps['房屋摄像、拍照取证']).toMatchObject({ status: 'done', by: { agency: 'urban-management' } });
  expect(steps['审核现役、退役军人情况']).toMatchObject({ status: 'done', by: { agency: 'civil-affairs' } });
  expect(steps['区政府审批农转非安置人员名单']).toMatchObject({ status: 'done', by: { agency: 'district-government' } });
  expect(steps['签订征收土地协议']).toMatchObject({ status: 'done' });
  expect(await paymentStep()).toMatchObject({ status: 'open', lastDay: '2026-12-15', dueAtBeijing: '2026-12-16T00:00:00+08:00', due: expect.stringContaining('2026年12月15日24时') });

  // ---- the payment is not made: past the last day, one alert and the step overdue ----
  await cloud.advance(Date.parse(signed.body.payment.dueAt) - cloud.clock.now() + 60_000);
  const alerts = cloud.alerts().filter((m) => m.messageAttributes?.project?.Value === projectId && m.messageAttributes?.kind?.Value === 'deadline-overdue');
  expect(alerts).toHaveLength(1);
  const alert = JSON.parse(alerts[0]!.message);
  expect(alert.data).toMatchObject({ ruleId: 'compensation-payment', lastDay: '2026-12-15' });
  expect(alert.message).toContain('足额支付征地补偿款');
  expect(alert.message).toContain('2026年12月15日24时');
  expect(await paymentStep()).toMatchObject({ status: 'overdue' });
});
