import { createHash } from 'node:crypto';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { idNumber, surveySpec, writeWorkbook } from '../../services/compensation/adapters/workbook/test-helpers.ts';
import { type apiClient, PLAN_DRAFT, publishNoticeViaApi, WHO } from './local-cloud.ts';
import { planApprovedViaApi } from './oversight.ts';

type Call = ReturnType<typeof apiClient>;
type Who = { agency: string; jurisdiction: string; user?: string };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const FINANCE = { agency: 'finance', jurisdiction: 'yongzhou' } as const;
export const INVESTMENT_GROUP = { agency: 'investment-group', jurisdiction: 'yongzhou' } as const;

function must(response: { status: number; body: any }, status: number, what: string): any {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Asks for a presigned upload slot and PUTs the bytes with exactly the headers it names. */
export async function uploadVia(call: Call, who: Who, path: string, purpose: string | undefined, contentType: string, fileName: string, bytes: Buffer, extra: Record<string, unknown> = {}): Promise<string> {
  const slot = must(await call(who, 'POST', path, { ...extra, ...(purpose ? { purpose } : {}), contentType, fileName, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }), 201, `upload slot ${path}`);
  const put = await fetch(slot.url, { method: 'PUT', headers: slot.headers, body: bytes });
  if (put.status !== 200) throw new Error(`upload ${path}: ${put.status}`);
  return slot.uploadId as string;
}

export interface SignedHousehold {
  projectId: string;
  householdId: string;
  agreementId: string;
  totalFen: number;
  /** The approved resettled persons' member ids (each has a social-security line). */
  memberIds: string[];
  payment: { dueAt: string; lastDay: string };
}

/**
 * One household of g1 (梅湾村一组) taken through the API to a signed cash agreement: notice, plan,
 * a one-household survey workbook (two members, one paddy parcel, no house), confirmation, hukou
 * checks, the resettlement list, the computation, the disclosure posted, the agreement signed now.
 * For tests of what comes after signing (payments, handover); the procedure itself is tested in
 * test/e2e/household-procedure.test.ts.
 */
export async function signedHouseholdViaApi(cloud: LocalCloud, call: Call, options: { householdNumber?: string; areaMu?: string } = {}): Promise<SignedHousehold> {
  const { projectId } = await publishNoticeViaApi(call);
  must(await call(WHO.landBranch, 'PUT', `/projects/${projectId}/plan`, PLAN_DRAFT), 200, 'plan draft');
  must(await call(WHO.legal, 'POST', `/projects/${projectId}/plan/review`, { decision: 'approve' }), 200, 'plan review');
  await planApprovedViaApi(cloud, call, projectId);
  must(await call(WHO.landBranch, 'POST', `/projects/${projectId}/plan/publish`), 200, 'plan publish');

  const key = { villageGroupId: 'g1', householdNumber: options.householdNumber ?? '001' };
  const workbook = await writeWorkbook(
    surveySpec({
      户及成员: [
        { ...key, headName: '张三', name: '张三', relation: '户主', idNumber: idNumber('1968-03-02', 11) },
        { ...key, headName: '张三', name: '李四', relation: '配偶', idNumber: idNumber('1970-07-15', 22) },
      ],
      土地: [{ ...key, itemKey: 1, parcelNumber: 'DK-001-1', landClass: '水田', areaMu: options.areaMu ?? '1.2345' }],
    }),
  );
  const uploadId = await uploadVia(call, WHO.landBranch, `/projects/${projectId}/uploads`, 'survey-workbook', XLSX, '调查表.xlsx', workbook);
  const job = must(await call(WHO.landBranch, 'POST', `/projects/${projectId}/survey-imports`, { uploadId }), 202, 'survey import');
  for (let attempt = 0; ; attempt++) {
    await cloud.advance(0);
    const polled = must(await call(WHO.landBranch, 'GET', `/projects/${projectId}/survey-imports/${job.jobId}`), 200, 'import job');
    if (polled.status === 'completed') break;
    if (polled.status !== 'running' || attempt > 50) throw new Error(`survey import: ${JSON.stringify(polled)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const householdId = must(await call(WHO.meiwan, 'GET', `/projects/${projectId}/households?villageGroupId=g1`), 200, 'households').items[0].householdId as string;
  const path = `/households/${householdId}`;

  const confirmation = await uploadVia(call, WHO.meiwan, `${path}/uploads`, 'survey-confirmation', 'image/jpeg', 'confirm.jpg', Buffer.from(`signed confirmation of ${householdId}`));
  const confirmed = must(await call(WHO.meiwan, 'POST', `${path}/survey/confirm`, { uploadId: confirmation }), 200, 'survey confirm');
  const memberIds = (confirmed.members as Array<{ memberId: string }>).map((m) => m.memberId);
  for (const memberId of memberIds) must(await call(WHO.police, 'POST', `${path}/checks/${memberId}/hukou`, { passed: true, note: '以通告发布之日户籍为准，属实' }), 200, 'hukou check');
  must(await call(WHO.meiwan, 'POST', `/projects/${projectId}/village-groups/g1/resettlement-list/co-review`, { note: '经乡镇会审' }), 200, 'co-review');
  must(await call(WHO.district, 'POST', `/projects/${projectId}/village-groups/g1/resettlement-list/approve`), 200, 'list approval');
  const computed = must(await call(WHO.landBranch, 'POST', `${path}/compensation`), 200, 'computation');

  const disclosure = must(await call(WHO.landBranch, 'POST', `/projects/${projectId}/village-groups/g1/disclosures`, { postingNote: '公示期间如有异议，请向梅湾街道办事处反映' }), 201, 'disclosure');
  const photo = await uploadVia(call, WHO.meiwan, `/projects/${projectId}/uploads`, 'disclosure-posting', 'image/jpeg', '公示.jpg', Buffer.from(`photo of the disclosure ${disclosure.disclosureId}`));
  must(
    await call(WHO.meiwan, 'POST', `/projects/${projectId}/village-groups/g1/disclosures/${disclosure.disclosureId}/postings`, { uploadIds: [photo], postedAt: new Date(cloud.clock.now()).toISOString(), place: '梅湾村村务公开栏' }),
    200,
    'disclosure posting',
  );

  const drafted = must(await call(WHO.landBranch, 'POST', `${path}/agreements`, { mode: { kind: 'cash', optionId: 'money' } }), 201, 'agreement draft');
  const pdf = Buffer.from(await (await fetch(drafted.document.url)).arrayBuffer());
  const documentSha256 = createHash('sha256').update(pdf).digest('hex');
  const scan = await uploadVia(call, WHO.landBranch, `${path}/uploads`, 'agreement-scan', 'application/pdf', 'signed.pdf', Buffer.concat([pdf, Buffer.from('\n% signed')]));
  const agreementId = drafted.agreement.agreementId as string;
  const signed = must(await call(WHO.landBranch, 'POST', `${path}/agreements/${agreementId}/sign`, { uploadId: scan, place: '梅湾街道办事处', documentSha256 }), 200, 'signing');
  return { projectId, householdId, agreementId, totalFen: computed.totalFen as number, memberIds, payment: { dueAt: signed.payment.dueAt, lastDay: signed.payment.lastDay } };
}

/**
 * Funds the project's account: the investment group deposits `compensationFen` into the compensation
 * fund, finance records `subsidyFen` of social-security subsidy; each confirmed by a finance user who
 * did not record it.
 */
export async function fundedAccountViaApi(call: Call, projectId: string, amounts: { compensationFen: number; subsidyFen: number }, valueDate: string): Promise<void> {
  const financeClerk = { ...FINANCE, user: 'qian.fin' };
  const deposits: Array<[Who, 'compensation' | 'social-security-subsidy', number]> = [
    [INVESTMENT_GROUP, 'compensation', amounts.compensationFen],
    [financeClerk, 'social-security-subsidy', amounts.subsidyFen],
  ];
  for (const [who, fund, amountFen] of deposits) {
    if (amountFen === 0) continue;
    const voucherNumber = `HD-${fund}-${projectId.slice(-6)}`;
    const uploadId = await uploadVia(call, who, `/projects/${projectId}/account/uploads`, undefined, 'application/pdf', '银行回单.pdf', Buffer.from(`voucher ${voucherNumber}`), { fund });
    const deposit = must(await call(who, 'POST', `/projects/${projectId}/account/deposits`, { fund, amountFen, voucherNumber, valueDate, uploadId }), 201, `deposit ${fund}`);
    must(await call(FINANCE, 'POST', `/projects/${projectId}/account/deposits/${deposit.depositId}/confirm`), 200, `confirm ${fund}`);
  }
}
