import * as z from 'zod';
import { AGENCY_IDS } from '../../shared/agencies.ts';
import { RULE_IDS } from '../../shared/calendar/index.ts';
import { defineRoutes } from '../../shared/http/routes.ts';
import { agencyId, day, evidenceRecordResponse, identityResponse, pageOf, uploadSlotResponse, utcInstant, beijingInstant } from '../../shared/http/response-schemas.ts';
import { idParam, instant, pageQuery, projectParams, text, uploadSlotBody } from '../../shared/http/schemas.ts';
import { fenSchema } from '../../shared/money.ts';
import { PLAN_MEASURES } from './domain/chain.ts';
import { DEMOLITION_INSTRUMENTS, SERVICE_METHODS, VACATING_INSTRUMENTS } from './domain/instruments.ts';
import { PURPOSES } from './domain/uploads.ts';

export const householdParams = z.strictObject({ householdId: idParam });
export const chainParams = z.strictObject({ chainId: idParam });
export const instrumentParams = z.strictObject({ chainId: idParam, instrumentId: idParam });
export const remedyParams = z.strictObject({ chainId: idParam, remedyId: idParam });
export const statementParams = z.strictObject({ chainId: idParam, statementId: idParam });

const INSTRUMENT_KINDS = [...VACATING_INSTRUMENTS, ...DEMOLITION_INSTRUMENTS] as const;
const uploadIds = z.array(idParam).min(1, { error: '须附至少一份已上传的证据' }).max(20, { error: '一次至多 20 份证据' });
const optionalUploadIds = z.array(idParam).max(20, { error: '一次至多 20 份证据' }).default([]);
const period = z.string().regex(/^[1-9]\d{0,3}(d|wd|mo)$/, { error: '期限格式错误，例如 15d（日）、10wd（工作日）、1mo（月）' });
const courtRef = z.strictObject({
  agency: z.enum(['basic-court', 'intermediate-court'], { error: 'court.agency 须为 basic-court 或 intermediate-court' }),
  jurisdiction: text(100),
  name: text(100),
});

export const openBody = z.strictObject({
  kind: z.enum(['vacating', 'illegal-building'], { error: 'kind 须为 vacating（限期腾地）或 illegal-building（违法建筑强制拆除）' }),
  itemId: text(64).optional(),
  determination: text(100).optional(),
});
export const uploadBody = uploadSlotBody(PURPOSES);
export const issueBody = z.strictObject({
  kind: z.enum(INSTRUMENT_KINDS, { error: `kind 须为 ${INSTRUMENT_KINDS.join('、')}` }),
  number: text(64),
  terms: z.strictObject({
    facts: text(4000),
    compensationFen: fenSchema.optional(),
    compensationText: text(4000).optional(),
    performWithin: period.optional(),
    manner: text(2000).optional(),
  }),
  court: courtRef.optional(),
});
export const serviceBody = z.strictObject({
  method: z.enum(SERVICE_METHODS, { error: `method 须为 ${SERVICE_METHODS.join('、')}` }),
  deliveredAt: instant,
  servedBy: text(200),
  recipient: text(100).optional(),
  witnesses: z.array(text(100)).max(10).default([]),
  remediesStated: z.boolean().optional(),
  uploadIds,
  materialUploadIds: z.array(idParam).max(50, { error: '一次至多 50 份材料' }).optional(),
});
export const remedyBody = z.strictObject({
  kind: z.enum(['reconsideration', 'lawsuit'], { error: 'kind 须为 reconsideration（行政复议）或 lawsuit（行政诉讼）' }),
  instrumentId: idParam,
  filedAt: instant,
  body: text(100),
  caseNumber: text(64).optional(),
});
export const outcomeBody = z.strictObject({
  result: z.enum(['upheld', 'changed', 'withdrawn', 'revoked-redo', 'revoked'], { error: 'result 须为 upheld、changed、withdrawn、revoked-redo 或 revoked' }),
  decidedAt: instant,
  servedAt: instant,
  summary: text(2000),
  uploadIds: optionalUploadIds,
});
export const statementBody = z.strictObject({ receivedAt: instant, summary: text(4000), uploadIds: optionalUploadIds });
export const reviewBody = z.strictObject({ established: z.boolean({ error: 'established 须为 true 或 false' }), reasoning: text(4000) });
export const acceptanceBody = z.strictObject({ accepted: z.boolean({ error: 'accepted 须为 true 或 false' }), at: instant, servedAt: instant.optional(), caseNumber: text(64).optional(), reasons: text(2000).optional() });
export const courtReviewBody = z.strictObject({ filedAt: instant });
export const reviewDecisionBody = z.strictObject({ accepted: z.boolean({ error: 'accepted 须为 true 或 false' }), at: instant, reasons: text(2000).optional() });
export const hearingBody = z.strictObject({ decidedAt: instant, reasons: text(2000) });
export const rulingBody = z.strictObject({ enforce: z.boolean(), emergency: z.boolean().default(false), at: instant, caseNumber: text(64), reasons: text(4000), uploadIds });
export const planBody = z.strictObject({
  plannedFor: instant,
  participants: z
    .array(z.strictObject({ agency: z.enum(AGENCY_IDS, { error: '参加单位不存在' }), jurisdiction: text(100), role: text(200) }))
    .min(1, { error: '须列出参加联合行动的单位及职责' })
    .max(30),
  measures: z.array(z.enum(PLAN_MEASURES, { error: `measures 须为 ${PLAN_MEASURES.join('、')}` })).min(1).max(20),
  emergency: z.strictObject({ reason: text(2000) }).optional(),
});
export const executionBody = z.strictObject({ startedAt: instant, endedAt: instant, summary: text(4000), uploadIds });
export const handoverBody = z.strictObject({ at: instant, uploadIds });
export const endBody = z.strictObject({
  reason: z.enum(['agreement-signed', 'vacated', 'statement-established', 'court-refused'], { error: 'reason 须为 agreement-signed、vacated、statement-established 或 court-refused' }),
  note: text(2000),
});

// ---- responses ----

const document = z.strictObject({ key: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.int().nonnegative() });
const service = z.strictObject({
  method: z.enum(SERVICE_METHODS),
  deliveredAt: utcInstant,
  effectiveAt: utcInstant,
  servedBy: z.string(),
  performBy: day.optional(),
  recipient: z.string().optional(),
  witnesses: z.array(z.string()),
  remediesStated: z.boolean(),
  proof: z.array(evidenceRecordResponse),
  recordedBy: identityResponse,
  recordedAt: utcInstant,
});
const instrument = z.strictObject({
  instrumentId: z.string(),
  kind: z.enum(INSTRUMENT_KINDS),
  round: z.int().positive(),
  number: z.string(),
  issuer: agencyId,
  issuedBy: identityResponse,
  issuedAt: utcInstant,
  terms: z.strictObject({ facts: z.string(), compensationFen: z.int().optional(), compensationText: z.string().optional(), performWithin: z.string().optional(), manner: z.string().optional() }),
  document,
  court: courtRef.optional(),
  service: service.optional(),
});
const outcome = z.strictObject({ result: z.enum(['upheld', 'changed', 'withdrawn', 'revoked-redo', 'revoked']), decidedAt: utcInstant, servedAt: utcInstant, summary: z.string(), document: z.array(evidenceRecordResponse), recordedBy: identityResponse, recordedAt: utcInstant });
const remedy = z.strictObject({ remedyId: z.string(), kind: z.enum(['reconsideration', 'lawsuit']), instrumentId: z.string(), filedAt: utcInstant, body: z.string(), caseNumber: z.string().optional(), recordedBy: identityResponse, recordedAt: utcInstant, outcome: outcome.optional() });
const statement = z.strictObject({
  statementId: z.string(),
  instrumentId: z.string(),
  receivedAt: utcInstant,
  summary: z.string(),
  evidence: z.array(evidenceRecordResponse),
  recordedBy: identityResponse,
  recordedAt: utcInstant,
  review: z.strictObject({ established: z.boolean(), reasoning: z.string(), reviewedBy: identityResponse, reviewedAt: utcInstant }).optional(),
});
const court = z.strictObject({
  court: courtRef,
  filedAt: utcInstant,
  materials: z.array(evidenceRecordResponse),
  acceptance: z.strictObject({ accepted: z.boolean(), at: utcInstant, servedAt: utcInstant.optional(), by: identityResponse, caseNumber: z.string().optional(), reasons: z.string().optional() }).optional(),
  review: z.strictObject({ filedAt: utcInstant, by: identityResponse, decided: z.strictObject({ accepted: z.boolean(), at: utcInstant, by: identityResponse, reasons: z.string().optional() }).optional() }).optional(),
  hearing: z.strictObject({ decidedAt: utcInstant, by: identityResponse, reasons: z.string() }).optional(),
  ruling: z.strictObject({ enforce: z.boolean(), emergency: z.boolean(), at: utcInstant, by: identityResponse, caseNumber: z.string(), reasons: z.string(), document: z.array(evidenceRecordResponse) }).optional(),
});
const basis = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('no-agreement'), note: z.string() }),
  z.strictObject({ kind: z.literal('refused-after-payment'), agreementId: z.string(), agreementNumber: z.string(), refusedAt: utcInstant, note: z.string() }),
  z.strictObject({ kind: z.literal('illegal-building'), itemId: z.string(), determination: z.string(), note: z.string() }),
]);
const jointAction = z.strictObject({
  plannedFor: utcInstant,
  participants: z.array(z.strictObject({ agency: agencyId, jurisdiction: z.string(), role: z.string() })),
  measures: z.array(z.enum(PLAN_MEASURES)),
  emergency: z.strictObject({ reason: z.string() }).optional(),
  plannedBy: identityResponse,
  plannedAt: utcInstant,
});
const endReason = z.enum(['agreement-signed', 'vacated', 'decision-revoked', 'statement-established', 'court-refused', 'executed']);

export const chainResponse = z.strictObject({
  chainId: z.string(),
  seq: z.int().positive(),
  kind: z.enum(['vacating', 'illegal-building']),
  projectId: z.string(),
  householdId: z.string(),
  caseLabel: z.string(),
  district: z.string(),
  township: z.string(),
  variant: z.enum(['seed', 'national']),
  basis,
  round: z.int().positive(),
  rounds: z.array(z.strictObject({ round: z.int().positive(), startsAt: z.enum(INSTRUMENT_KINDS), at: utcInstant, reason: z.string(), court: court.optional(), jointAction: jointAction.optional() })),
  instruments: z.array(instrument),
  remedies: z.array(remedy),
  statements: z.array(statement),
  court: court.optional(),
  jointAction: jointAction.optional(),
  execution: z.strictObject({ startedAt: utcInstant, endedAt: utcInstant, summary: z.string(), evidence: z.array(evidenceRecordResponse), recordedBy: identityResponse, recordedAt: utcInstant }).optional(),
  handover: z.strictObject({ at: utcInstant, evidence: z.array(evidenceRecordResponse), recordedBy: identityResponse, recordedAt: utcInstant }).optional(),
  status: z.enum(['active', 'suspended', 'ended']),
  ended: z.strictObject({ reason: endReason, at: utcInstant, by: identityResponse, note: z.string() }).optional(),
  openedBy: identityResponse,
  openedAt: utcInstant,
  updatedAt: utcInstant,
  /** What comes next, when it is first allowed (Beijing), and what holds it back. */
  next: z.strictObject({
    instrument: z.enum(INSTRUMENT_KINDS).optional(),
    title: z.string().optional(),
    issuer: z.string().optional(),
    allowedFrom: utcInstant.optional(),
    allowedFromBeijing: beijingInstant.optional(),
    blockedBy: z.string().optional(),
  }),
  /** The agency deadlines the record says run, with their watches. */
  clocks: z.array(
    z.strictObject({
      key: z.string(),
      ruleId: z.enum(RULE_IDS),
      triggeredAt: utcInstant,
      metAt: utcInstant.optional(),
      dueAt: utcInstant.optional(),
      status: z.string().optional(),
      responsibleAgency: agencyId.optional(),
    }),
  ),
  demolitionAllowedFrom: utcInstant.optional(),
  settledOutside: z.strictObject({ reason: z.enum(['agreement-signed', 'vacated']), note: z.string() }).optional(),
  now: utcInstant,
});

export const issueResponse = chainResponse.extend({ document: document.extend({ url: z.url() }) });
export const documentResponse = document.extend({ url: z.url(), title: z.string(), number: z.string() });
export const summaryResponse = z.strictObject({
  chainId: z.string(),
  kind: z.enum(['vacating', 'illegal-building']),
  householdId: z.string(),
  caseLabel: z.string(),
  status: z.enum(['active', 'suspended', 'ended']),
  round: z.int().positive(),
  instruments: z.int().nonnegative(),
  openedAt: utcInstant,
  updatedAt: utcInstant,
  ended: endReason.optional(),
});

const chain = (path = '') => `/enforcement/{chainId}${path}`;
const post = { method: 'POST', service: 'enforcement', auth: 'jwt', response: chainResponse } as const;

export const routes = defineRoutes({
  open: { ...post, path: '/households/{householdId}/enforcement', summary: '启动限期腾地程序（国土资源局；未签协议的自补偿告知书起，已足额支付仍拒不腾地的自限期腾地通知书起）或违法建筑强制拆除程序（城管执法局）', action: 'enforcement.open', params: householdParams, body: openBody, successStatus: 201 },
  list: { method: 'GET', path: '/projects/{projectId}/enforcement', service: 'enforcement', auth: 'jwt', summary: '查看项目的限期腾地、强制拆除案件', action: 'enforcement.read', params: projectParams, query: pageQuery, response: pageOf(summaryResponse) },
  read: { method: 'GET', path: chain(), service: 'enforcement', auth: 'jwt', summary: '查看案件：文书、送达、复议诉讼、陈述申辩、法院、联合行动、下一步及其最早日期、运行中的期限', action: 'enforcement.read', params: chainParams, response: chainResponse },
  upload: { method: 'POST', path: chain('/uploads'), service: 'enforcement', auth: 'jwt', summary: '申请上传本案证据（送达回证、复议决定书、陈述申辩材料、裁定书、执行影像、交地影像；上传单位依用途而定）', action: 'enforcement.serve', params: chainParams, body: uploadBody, successStatus: 201, response: uploadSlotResponse },
  issue: { ...post, path: chain('/instruments'), summary: '作出下一份程序文书（生成 PDF，载明事实、依据、权利和期限；等待期未满、程序中止或未送达上一份文书的拒绝）', action: 'enforcement.issue', params: chainParams, body: issueBody, successStatus: 201, response: issueResponse },
  document: { method: 'GET', path: chain('/instruments/{instrumentId}/document'), service: 'enforcement', auth: 'jwt', summary: '下载文书 PDF（作出时存储，附 SHA-256）', action: 'enforcement.read', params: instrumentParams, response: documentResponse },
  serve: { ...post, path: chain('/instruments/{instrumentId}/service'), summary: '登记文书送达（方式、时间、送达人、送达证据；期间自送达起算，公告送达经过三十日视为送达）', action: 'enforcement.serve', params: instrumentParams, body: serviceBody, successStatus: 201 },
  fileRemedy: { ...post, path: chain('/remedies'), summary: '登记被征收人申请行政复议或提起行政诉讼（程序中止）', action: 'enforcement.remedy', params: chainParams, body: remedyBody, successStatus: 201 },
  decideRemedy: { ...post, path: chain('/remedies/{remedyId}/outcome'), summary: '登记复议决定或生效裁判（维持、变更、撤回的继续；撤销并责令重作的重新开始；撤销的终结）', action: 'enforcement.remedy', params: remedyParams, body: outcomeBody },
  statement: { ...post, path: chain('/statements'), summary: '登记当事人收到催告书后的陈述、申辩', action: 'enforcement.statement', params: chainParams, body: statementBody, successStatus: 201 },
  reviewStatement: { ...post, path: chain('/statements/{statementId}/review'), summary: '复核当事人的陈述、申辩（成立的应当采纳）', action: 'enforcement.statement', params: statementParams, body: reviewBody },
  acceptance: { ...post, path: chain('/court/acceptance'), summary: '受理申请的人民法院登记受理或不予受理（五个工作日内）', action: 'enforcement.court', params: chainParams, body: acceptanceBody },
  courtReview: { ...post, path: chain('/court/review'), summary: '对不予受理裁定向上一级人民法院申请复议（十五日内）', action: 'enforcement.court-review', params: chainParams, body: courtReviewBody, successStatus: 201 },
  reviewDecision: { ...post, path: chain('/court/review/decision'), summary: '上一级人民法院登记复议裁定（十五日内）', action: 'enforcement.court', params: chainParams, body: reviewDecisionBody },
  hearing: { ...post, path: chain('/court/hearing'), summary: '人民法院登记听取被执行人和行政机关意见（裁定期限为受理后三十日）', action: 'enforcement.court', params: chainParams, body: hearingBody },
  ruling: { ...post, path: chain('/court/ruling'), summary: '人民法院登记是否准予执行的裁定（附裁定书）', action: 'enforcement.court', params: chainParams, body: rulingBody, successStatus: 201 },
  plan: { ...post, path: chain('/joint-action'), summary: '领导小组办公室制定联合行动方案（不得夜间、法定节假日实施，紧急情况除外；不得停水、停电、停热、停气）', action: 'enforcement.plan', params: chainParams, body: planBody, successStatus: 201 },
  execution: { ...post, path: chain('/execution'), summary: '登记强制执行（附全过程影像）', action: 'enforcement.execute', params: chainParams, body: executionBody, successStatus: 201 },
  handover: { ...post, path: chain('/handover'), summary: '登记强制执行后交地（结案）', action: 'enforcement.handover', params: chainParams, body: handoverBody, successStatus: 201 },
  end: { ...post, path: chain('/end'), summary: '终结程序（被征收户签订协议或自行腾地的以系统记录为准；陈述申辩成立；法院最终不予受理或不准予执行）', action: 'enforcement.end', params: chainParams, body: endBody },
});
