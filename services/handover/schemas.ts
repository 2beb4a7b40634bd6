import * as z from 'zod';
import { defineRoutes } from '../../shared/http/routes.ts';
import { day, evidenceRecordResponse, identityResponse, uploadSlotResponse, utcInstant, beijingInstant } from '../../shared/http/response-schemas.ts';
import { idParam, instant, text } from '../../shared/http/schemas.ts';
import { fenSchema } from '../../shared/money.ts';
import { CERTIFICATE_KINDS, type CertificateKind } from './domain/handover.ts';
import { GROUP_PURPOSES, HOUSEHOLD_PURPOSES } from './domain/uploads.ts';

export const householdParams = z.strictObject({ householdId: idParam });
export const groupParams = z.strictObject({ projectId: idParam, villageGroupId: text(20) });

const sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'sha256 须为文件 SHA-256 的 64 位十六进制值' });
const uploadIds = z.array(idParam).min(1, { error: '须附至少一份已上传的证据' }).max(20, { error: '一次至多 20 份证据' });
const certificateKind = z.enum(Object.keys(CERTIFICATE_KINDS) as [CertificateKind, ...CertificateKind[]], {
  error: `kind 须为 ${Object.entries(CERTIFICATE_KINDS).map(([k, zh]) => `${k}（${zh}）`).join('、')}`,
});

const declaredFile = { contentType: text(100), fileName: text(200), size: z.int().positive(), sha256 };
export const householdUploadBody = z.strictObject({ purpose: z.enum(HOUSEHOLD_PURPOSES, { error: `purpose 须为 ${HOUSEHOLD_PURPOSES.join('、')}` }), ...declaredFile });
export const groupUploadBody = z.strictObject({ purpose: z.enum(GROUP_PURPOSES, { error: `purpose 须为 ${GROUP_PURPOSES.join('、')}` }), ...declaredFile });

export const handoverBody = z.strictObject({
  handedOverAt: instant,
  place: text(200),
  parcels: z.array(text(64)).min(1, { error: '须列出交付的地块编号' }).max(100),
  uploadIds,
  note: text(2000).optional(),
});
export const confirmBody = z.strictObject({ note: text(2000).optional() });
export const refusalBody = z.strictObject({
  refusedAt: instant,
  persuasionCount: z.int({ error: '动员次数须为正整数' }).positive({ error: '动员次数须为正整数' }).max(10_000),
  measures: text(2000),
  uploadIds,
});
export const clearingBody = z.strictObject({ clearedAt: instant, uploadIds, note: text(2000).optional() });
export const cancellationBody = z.strictObject({
  certificates: z.array(z.strictObject({ kind: certificateKind, number: text(64) })).min(1, { error: '须列出至少一本注销的权属证书' }).max(50),
  registrationIds: z.array(idParam).max(50).default([]),
  cancelledOn: z.iso.date({ error: 'cancelledOn 须为注销日期（YYYY-MM-DD，北京时间）' }),
  reference: text(100).optional(),
});
export const distributionBody = z.strictObject({
  postedAt: instant,
  distributedFen: fenSchema,
  postingUploadIds: uploadIds,
  planUploadIds: uploadIds,
  note: text(2000).optional(),
});

// ---- responses ----

const signOff = z.strictObject({ by: identityResponse, at: utcInstant, note: z.string().optional() });
const handoverRecord = z.strictObject({
  handedOverAt: utcInstant,
  place: z.string(),
  parcels: z.array(z.string()),
  photos: z.array(evidenceRecordResponse),
  recordedBy: identityResponse,
  recordedAt: utcInstant,
  note: z.string().optional(),
  confirmation: signOff.optional(),
});
const clearingRecord = z.strictObject({ clearedAt: utcInstant, photos: z.array(evidenceRecordResponse), recordedBy: identityResponse, recordedAt: utcInstant, note: z.string().optional() });
const refusalRecord = z.strictObject({ refusedAt: utcInstant, persuasionCount: z.int().positive(), measures: z.string(), evidence: z.array(evidenceRecordResponse), recordedBy: identityResponse, recordedAt: utcInstant });
const cancellationRecord = z.strictObject({
  certificates: z.array(z.strictObject({ kind: certificateKind, number: z.string(), name: z.string() })),
  registrationIds: z.array(z.string()),
  cancelledOn: day,
  reference: z.string().optional(),
  recordedBy: identityResponse,
  recordedAt: utcInstant,
});

export const handoverViewResponse = z.strictObject({
  householdId: z.string(),
  projectId: z.string(),
  villageGroupId: z.string(),
  householdNumber: z.string(),
  caseLabel: z.string(),
  payment: z.strictObject({ agreementNumber: z.string(), dueFen: z.int(), paidFen: z.int(), outstandingFen: z.int(), paidInFull: z.boolean(), paidInFullAt: utcInstant.optional() }),
  state: z.enum(['awaiting-payment', 'not-started', 'awaiting-confirmation', 'handed-over', 'refused']),
  handover: handoverRecord.optional(),
  clearing: clearingRecord.optional(),
  refusals: z.array(refusalRecord),
  certificates: z.array(cancellationRecord),
  enforcementEligible: z.boolean(),
  enforcementReason: z.string().optional(),
  now: utcInstant,
  nowBeijing: beijingInstant,
});

export const distributionResponse = z.strictObject({
  projectId: z.string(),
  villageGroupId: z.string(),
  seq: z.int().positive(),
  postedAt: utcInstant,
  distributedFen: z.int().nonnegative(),
  note: z.string().optional(),
  postings: z.array(evidenceRecordResponse),
  plans: z.array(evidenceRecordResponse),
  recordedBy: identityResponse,
  recordedAt: utcInstant,
});
export const distributionsResponse = z.strictObject({ projectId: z.string(), villageGroupId: z.string(), distributedFen: z.int().nonnegative(), disclosures: z.array(distributionResponse) });

const household = (path = '') => `/households/{householdId}${path}`;
const group = (path = '') => `/projects/{projectId}/village-groups/{villageGroupId}/collective-distributions${path}`;

export const routes = defineRoutes({
  householdUpload: { method: 'POST', path: household('/handover/uploads'), service: 'handover', summary: '申请上传本户腾地交地、拒不腾地或清表交地的证据（上传单位依用途而定）', action: 'handover.record', auth: 'jwt', params: householdParams, body: householdUploadBody, successStatus: 201, response: uploadSlotResponse },
  recordHandover: { method: 'POST', path: household('/handover'), service: 'handover', summary: '登记腾地、交地（乡镇或国土资源分局一方登记并附影像；须补偿款足额支付后）', action: 'handover.record', auth: 'jwt', params: householdParams, body: handoverBody, successStatus: 201, response: handoverViewResponse },
  confirmHandover: { method: 'POST', path: household('/handover/confirm'), service: 'handover', summary: '另一方确认腾地、交地（乡镇与国土资源分局双方确认后完成）', action: 'handover.record', auth: 'jwt', params: householdParams, body: confirmBody, response: handoverViewResponse },
  recordRefusal: { method: 'POST', path: household('/handover/refusals'), service: 'handover', summary: '登记被征收户拒不腾地（补偿款足额支付后；该户可进入限期腾地程序）', action: 'handover.refusal', auth: 'jwt', params: householdParams, body: refusalBody, successStatus: 201, response: handoverViewResponse },
  recordClearing: { method: 'POST', path: household('/clearing'), service: 'handover', summary: '城管执法局登记清表交地（腾地、交地确认后，附影像）', action: 'handover.clearing', auth: 'jwt', params: householdParams, body: clearingBody, successStatus: 201, response: handoverViewResponse },
  cancelCertificates: { method: 'POST', path: household('/certificate-cancellations'), service: 'handover', summary: '国土资源局登记注销本户权属证书（证书种类、编号、注销日期；腾地、交地后）', action: 'certificate.cancel', auth: 'jwt', params: householdParams, body: cancellationBody, successStatus: 201, response: handoverViewResponse },
  readHandover: { method: 'GET', path: household('/handover'), service: 'handover', summary: '查看本户腾地、交地、清表、拒不腾地及权属证书注销情况（含补偿款支付情况、是否可启动强制腾地程序）', action: 'handover.read', auth: 'jwt', params: householdParams, response: handoverViewResponse },
  distributionUpload: { method: 'POST', path: group('/uploads'), service: 'handover', summary: '申请上传村集体土地补偿费分配公示的张贴影像或分配方案扫描件', action: 'collective-distribution.record', auth: 'jwt', params: groupParams, body: groupUploadBody, successStatus: 201, response: uploadSlotResponse },
  recordDistribution: { method: 'POST', path: group(), service: 'handover', summary: '乡镇登记村集体土地补偿费分配公示（张贴影像、分配方案、分配金额以分计）', action: 'collective-distribution.record', auth: 'jwt', params: groupParams, body: distributionBody, successStatus: 201, response: distributionResponse },
  readDistributions: { method: 'GET', path: group(), service: 'handover', summary: '查看村民小组的村集体土地补偿费分配公示', action: 'handover.read', auth: 'jwt', params: groupParams, response: distributionsResponse },
});


