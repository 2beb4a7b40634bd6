import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { ALL_ROUTES } from '../../services/all-routes.ts';
import { routeKeyOf } from '../../shared/http/routes.ts';
import { apiClient, NEW_PROJECT, PLAN_DRAFT, publishNoticeViaApi, startTestCloud, WHO } from '../support/local-cloud.ts';

/**
 * Agency × jurisdiction, route by route, through the local API with real tokens: every route but
 * the two public ones needs a token (401), and each refuses an agency without the duty and an
 * agency of the right kind from another jurisdiction (403).
 */
let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;
let projectId: string;
let householdId: string;

const OTHER = {
  etdzTownship: { agency: 'township', jurisdiction: 'yongzhou/etdz/township-a' },
  etdzDistrict: { agency: 'district-government', jurisdiction: 'yongzhou/etdz' },
  finance: { agency: 'finance', jurisdiction: 'yongzhou' },
  etdzPolice: { agency: 'public-security', jurisdiction: 'yongzhou/etdz' },
  court: { agency: 'intermediate-court', jurisdiction: 'yongzhou' },
  investment: { agency: 'investment-group', jurisdiction: 'yongzhou' },
} as const;

const photo = Buffer.from('photo');
const upload = { document: 'notice', villageGroupId: 'g1', fileName: 'p.jpg', contentType: 'image/jpeg', size: photo.length, sha256: createHash('sha256').update(photo).digest('hex') };
const registration = { villageGroupId: 'g1', rightType: 'collective-land-ownership', holder: { kind: 'collective', name: '梅湾村一组', collectiveLevel: 'group' }, description: '集体土地', onBehalf: false };
const xlsx = { purpose: 'survey-workbook', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: 's.xlsx', size: 1, sha256: 'a'.repeat(64) };
const film = { purpose: 'house-film', contentType: 'video/mp4', fileName: 'f.mp4', size: 1, sha256: 'a'.repeat(64) };
const survey = { parcels: [{ itemId: 'parcel-1', parcelNumber: 'DK-1', landClass: '水田', areaMu: '1.5' }], crops: [], attachments: [], houses: [] };
const household = { villageGroupId: 'g1', householdNumber: '001', headName: '张三', members: [{ name: '张三', relation: '户主', idNumber: '11010519491231002X', dateOfBirth: '1949-12-31' }] };
const photoFile = { contentType: 'image/jpeg', fileName: 'p.jpg', size: 1, sha256: 'a'.repeat(64) };
const voucher = { contentType: 'application/pdf', fileName: 'v.pdf', size: 1, sha256: 'a'.repeat(64) };
const year = { year: 2027, holidays: ['2027-01-01'], workdays: [], source: '测试数据（非国务院安排）', updatedAt: '2026-11-27' };

type Who = { agency: string; jurisdiction: string };
/** route key → [path, body, agencies refused for lack of duty, refused for jurisdiction] */
const MATRIX = (): Record<string, [string, unknown, Who[], Who[]]> => ({
  'POST /projects': ['/projects', NEW_PROJECT, [WHO.meiwan, WHO.legal], [WHO.etdzBranch, OTHER.etdzDistrict]],
  'GET /projects/{projectId}': [`/projects/${projectId}`, undefined, [], [OTHER.etdzTownship, OTHER.etdzDistrict]],
  'GET /projects/{projectId}/timeline': [`/projects/${projectId}/timeline`, undefined, [], [OTHER.etdzTownship, WHO.etdzBranch]],
  'PUT /projects/{projectId}/notice': [`/projects/${projectId}/notice`, { title: 't', body: 'b', registrationPeriod: '30d', registrationPlace: 'p' }, [WHO.legal, WHO.district], [WHO.etdzBranch]],
  'GET /projects/{projectId}/notice': [`/projects/${projectId}/notice`, undefined, [], [OTHER.etdzTownship]],
  'POST /projects/{projectId}/notice/review': [`/projects/${projectId}/notice/review`, { decision: 'approve' }, [WHO.landBranch, WHO.district], []],
  'POST /projects/{projectId}/notice/publish': [`/projects/${projectId}/notice/publish`, undefined, [WHO.legal, WHO.district], [WHO.etdzBranch]],
  'POST /projects/{projectId}/evidence-uploads': [`/projects/${projectId}/evidence-uploads`, upload, [WHO.landBranch, WHO.police], [WHO.yitang, OTHER.etdzTownship]],
  'POST /projects/{projectId}/postings': [`/projects/${projectId}/postings`, { document: 'notice', villageGroupId: 'g1', uploadIds: ['X'], postedAt: '2026-09-01T12:00:00+08:00', place: { description: 'p' } }, [WHO.landBranch], [WHO.yitang, OTHER.etdzTownship]],
  'GET /projects/{projectId}/postings': [`/projects/${projectId}/postings`, undefined, [], [OTHER.etdzTownship, OTHER.etdzDistrict]],
  'POST /projects/{projectId}/hukou-suspension/acknowledge': [`/projects/${projectId}/hukou-suspension/acknowledge`, undefined, [WHO.landBranch, WHO.meiwan], [OTHER.etdzPolice]],
  'POST /projects/{projectId}/hukou-suspension/resume': [`/projects/${projectId}/hukou-suspension/resume`, undefined, [WHO.landBranch, WHO.meiwan], [OTHER.etdzPolice]],
  'POST /projects/{projectId}/registrations': [`/projects/${projectId}/registrations`, registration, [WHO.legal, WHO.police], [WHO.yitang, WHO.etdzBranch]],
  'GET /projects/{projectId}/registrations': [`/projects/${projectId}/registrations`, undefined, [WHO.police, OTHER.finance], [OTHER.etdzTownship, WHO.etdzBranch]],
  'PUT /projects/{projectId}/plan': [`/projects/${projectId}/plan`, PLAN_DRAFT, [WHO.legal, WHO.district], [WHO.etdzBranch]],
  'GET /projects/{projectId}/plan': [`/projects/${projectId}/plan`, undefined, [], [OTHER.etdzTownship]],
  'POST /projects/{projectId}/plan/review': [`/projects/${projectId}/plan/review`, { decision: 'approve' }, [WHO.landBranch], []],
  'POST /projects/{projectId}/plan/publish': [`/projects/${projectId}/plan/publish`, undefined, [WHO.legal], [WHO.etdzBranch]],
  'PUT /calendar/years/{year}': ['/calendar/years/2027', year, [WHO.landBranch, WHO.legal], []],
  'GET /performance/overdue': ['/performance/overdue', undefined, [WHO.landBranch, WHO.meiwan], []],
  'GET /calendar/jobs/{jobId}': ['/calendar/jobs/recount-any', undefined, [WHO.landBranch, WHO.meiwan], []],
  // ---- compensation: a township acts on its own groups' households only; city agencies on their duty only ----
  'POST /projects/{projectId}/households': [`/projects/${projectId}/households`, { ...household, householdNumber: '002' }, [WHO.police, OTHER.court], [WHO.yitang, WHO.etdzBranch]],
  'GET /projects/{projectId}/households': [`/projects/${projectId}/households?villageGroupId=g1`, undefined, [WHO.legal, OTHER.court], [WHO.yitang, WHO.etdzBranch]],
  'GET /households/{householdId}': [`/households/${householdId}`, undefined, [WHO.legal, OTHER.court], [WHO.yitang, WHO.etdzBranch]],
  'GET /households/{householdId}/timeline': [`/households/${householdId}/timeline`, undefined, [OTHER.court], [WHO.yitang, OTHER.etdzTownship]],
  'POST /households/{householdId}/uploads': [`/households/${householdId}/uploads`, film, [OTHER.court, WHO.legal], [WHO.yitang, OTHER.etdzPolice]],
  'POST /projects/{projectId}/uploads': [`/projects/${projectId}/uploads`, xlsx, [WHO.police, OTHER.court], [OTHER.etdzTownship, WHO.etdzBranch]],
  'PUT /households/{householdId}/survey': [`/households/${householdId}/survey`, survey, [WHO.police, OTHER.court], [WHO.yitang, WHO.etdzBranch]],
  'POST /households/{householdId}/survey/evidence': [`/households/${householdId}/survey/evidence`, { purpose: 'house-film', uploadIds: ['X'] }, [WHO.police, OTHER.finance], [WHO.yitang]],
  'POST /households/{householdId}/survey/confirm': [`/households/${householdId}/survey/confirm`, { uploadId: 'X' }, [WHO.police, WHO.district], [WHO.yitang, WHO.etdzBranch]],
  'POST /households/{householdId}/houses/{itemId}/legality': [`/households/${householdId}/houses/house-1/legality`, { legality: 'legal', reference: '冷住建认〔2026〕11号' }, [WHO.landBranch, WHO.meiwan], []],
  'POST /households/{householdId}/checks/{memberId}/{kind}': [`/households/${householdId}/checks/m1/hukou`, { passed: true, note: '属实' }, [WHO.landBranch, WHO.meiwan], [OTHER.etdzPolice]],
  'POST /households/{householdId}/disputes': [`/households/${householdId}/disputes`, { grounds: '面积有误' }, [WHO.police, OTHER.court], [WHO.yitang, WHO.etdzBranch]],
  'POST /households/{householdId}/disputes/{disputeId}/resolve': [`/households/${householdId}/disputes/X/resolve`, { outcome: 'upheld', reasons: '无误' }, [WHO.meiwan, OTHER.court], [WHO.etdzBranch, OTHER.etdzDistrict]],
  'POST /households/{householdId}/compensation': [`/households/${householdId}/compensation`, undefined, [WHO.meiwan, OTHER.court], [WHO.etdzBranch]],
  'GET /households/{householdId}/compensation': [`/households/${householdId}/compensation`, undefined, [OTHER.court], [WHO.yitang]],
  'GET /households/{householdId}/agreements': [`/households/${householdId}/agreements`, undefined, [WHO.police, OTHER.court], [WHO.yitang, WHO.etdzBranch]],
  'POST /households/{householdId}/agreements': [`/households/${householdId}/agreements`, { mode: { kind: 'cash', optionId: 'money' } }, [WHO.meiwan, OTHER.court], [WHO.etdzBranch]],
  'POST /households/{householdId}/agreements/{agreementId}/sign': [`/households/${householdId}/agreements/X/sign`, { uploadId: 'X', place: '街道办事处', documentSha256: 'a'.repeat(64) }, [WHO.meiwan, OTHER.court], [WHO.etdzBranch]],
  'GET /projects/{projectId}/village-groups/{villageGroupId}/resettlement-list': [`/projects/${projectId}/village-groups/g1/resettlement-list`, undefined, [WHO.legal, OTHER.court], [WHO.yitang, OTHER.etdzPolice]],
  'POST /projects/{projectId}/village-groups/{villageGroupId}/resettlement-list/co-review': [`/projects/${projectId}/village-groups/g1/resettlement-list/co-review`, {}, [WHO.landBranch, WHO.district], [WHO.yitang]],
  'POST /projects/{projectId}/village-groups/{villageGroupId}/resettlement-list/approve': [`/projects/${projectId}/village-groups/g1/resettlement-list/approve`, undefined, [WHO.meiwan, WHO.landBranch], [OTHER.etdzDistrict]],
  'POST /projects/{projectId}/village-groups/{villageGroupId}/disclosures': [`/projects/${projectId}/village-groups/g1/disclosures`, { postingNote: '公示' }, [WHO.police, OTHER.court], [WHO.yitang, WHO.etdzBranch]],
  'POST /projects/{projectId}/village-groups/{villageGroupId}/disclosures/{disclosureId}/postings': [`/projects/${projectId}/village-groups/g1/disclosures/X/postings`, { uploadIds: ['X'], postedAt: '2026-09-01T12:00:00+08:00', place: '村务公开栏' }, [WHO.landBranch, WHO.district], [OTHER.etdzTownship]],
  'POST /projects/{projectId}/survey-imports': [`/projects/${projectId}/survey-imports`, { uploadId: 'X' }, [WHO.police, WHO.district], [OTHER.etdzTownship, WHO.etdzBranch]],
  'GET /projects/{projectId}/survey-imports/{jobId}': [`/projects/${projectId}/survey-imports/X`, undefined, [WHO.police, OTHER.court], [OTHER.etdzTownship]],
  'GET /projects/{projectId}/survey-template': [`/projects/${projectId}/survey-template`, undefined, [WHO.police, OTHER.court], [OTHER.etdzTownship, WHO.etdzBranch]],
  // ---- payments: investment groups deposit, finance confirms (both city-level: no other place to refuse) ----
  'POST /projects/{projectId}/account/uploads': [`/projects/${projectId}/account/uploads`, voucher, [OTHER.finance, WHO.landBranch], []],
  'POST /projects/{projectId}/account/deposits': [`/projects/${projectId}/account/deposits`, { amountFen: 100, voucherNumber: 'HD-1', valueDate: '2026-09-01', uploadId: 'X' }, [OTHER.finance, WHO.meiwan], []],
  'POST /projects/{projectId}/account/deposits/{depositId}/confirm': [`/projects/${projectId}/account/deposits/X/confirm`, undefined, [OTHER.investment, WHO.landBranch], []],
  'POST /projects/{projectId}/account/deposits/{depositId}/reversal': [`/projects/${projectId}/account/deposits/X/reversal`, { entry: 'deposit', reason: '录错' }, [OTHER.investment, WHO.landBranch], []],
  'GET /projects/{projectId}/account': [`/projects/${projectId}/account`, undefined, [WHO.meiwan, WHO.police], [OTHER.etdzDistrict, WHO.etdzBranch]],
  'GET /projects/{projectId}/account/reconciliation': [`/projects/${projectId}/account/reconciliation`, undefined, [WHO.meiwan, WHO.police], [OTHER.etdzDistrict, WHO.etdzBranch]],
  // Finance pays (city-level); the household here has no agreement, so only agencies without the duty are refused here.
  'POST /households/{householdId}/payments': [`/households/${householdId}/payments`, { instalment: 1, subsidyTo: 'collective', accounts: [{ payeeGroup: 'collective', accountName: '梅湾村一组', bankName: '中国农业银行', accountNumber: '622848001122334455' }] }, [WHO.landBranch, OTHER.investment, WHO.meiwan], []],
  'GET /households/{householdId}/payments': [`/households/${householdId}/payments`, undefined, [WHO.police, OTHER.court, OTHER.investment], []],
  'POST /payments/{paymentId}/workflow': ['/payments/A1%3Acollective%3A1/workflow', undefined, [WHO.landBranch, OTHER.investment], []],
  'POST /payments/{paymentId}/correction': ['/payments/A1%3Acollective%3A1/correction', { accountName: '张三', bankName: '中国农业银行', accountNumber: '622848001122334455' }, [WHO.landBranch, OTHER.investment], []],
  // ---- social security: finance transfers, HR enrols (city-level); the household here has no agreement, so
  // an agency with the duty gets 404 before any jurisdiction is known (the use-case tests refuse other places) ----
  'POST /households/{householdId}/social-security/{memberId}/transfer': [`/households/${householdId}/social-security/M1/transfer`, { amountFen: 100, transferDate: '2026-09-01', voucherNumber: 'SB-1' }, [WHO.landBranch, OTHER.investment, WHO.meiwan], []],
  'POST /households/{householdId}/social-security/{memberId}/enrolment': [`/households/${householdId}/social-security/M1/enrolment`, { pension: 'urban-rural-resident', medical: 'urban-rural-resident', enrolmentDate: '2026-09-01', socialSecurityNumber: '11010519491231002X' }, [OTHER.finance, WHO.meiwan], []],
  'GET /households/{householdId}/social-security': [`/households/${householdId}/social-security`, undefined, [WHO.police, OTHER.court, OTHER.investment], []],
  // ---- handover: the e2e household has no signed agreement, so a wrong place meets a 404 before any
  // jurisdiction check; agency refusals come first. Jurisdiction refusals are the use-case tests'. ----
  'POST /households/{householdId}/handover/uploads': [`/households/${householdId}/handover/uploads`, { purpose: 'handover-photo', ...photoFile }, [WHO.police, OTHER.court], []],
  'POST /households/{householdId}/handover': [`/households/${householdId}/handover`, { handedOverAt: '2026-09-01T12:00:00+08:00', place: 'p', parcels: ['DK-1'], uploadIds: ['X'] }, [WHO.police, OTHER.finance], []],
  'POST /households/{householdId}/handover/confirm': [`/households/${householdId}/handover/confirm`, {}, [WHO.police, OTHER.court], []],
  'POST /households/{householdId}/handover/refusals': [`/households/${householdId}/handover/refusals`, { refusedAt: '2026-09-01T12:00:00+08:00', persuasionCount: 1, measures: 'm', uploadIds: ['X'] }, [OTHER.finance, WHO.police], []],
  'POST /households/{householdId}/clearing': [`/households/${householdId}/clearing`, { clearedAt: '2026-09-01T12:00:00+08:00', uploadIds: ['X'] }, [WHO.meiwan, WHO.landBranch], []],
  'POST /households/{householdId}/certificate-cancellations': [`/households/${householdId}/certificate-cancellations`, { certificates: [{ kind: 'house-ownership', number: 'N-1' }], cancelledOn: '2026-09-01' }, [WHO.meiwan, OTHER.court], []],
  'GET /households/{householdId}/handover': [`/households/${householdId}/handover`, undefined, [WHO.police, OTHER.court], []],
  'POST /projects/{projectId}/village-groups/{villageGroupId}/collective-distributions/uploads': [`/projects/${projectId}/village-groups/g1/collective-distributions/uploads`, { purpose: 'distribution-posting', ...photoFile }, [WHO.landBranch, WHO.police], [WHO.yitang, OTHER.etdzTownship]],
  'POST /projects/{projectId}/village-groups/{villageGroupId}/collective-distributions': [`/projects/${projectId}/village-groups/g1/collective-distributions`, { postedAt: '2026-09-01T12:00:00+08:00', distributedFen: 100, postingUploadIds: ['X'], planUploadIds: ['Y'] }, [WHO.landBranch, WHO.police], [WHO.yitang, OTHER.etdzTownship]],
  'GET /projects/{projectId}/village-groups/{villageGroupId}/collective-distributions': [`/projects/${projectId}/village-groups/g1/collective-distributions`, undefined, [WHO.police, OTHER.court], [WHO.yitang, OTHER.etdzTownship]],
  // ---- enforcement: opening refuses another place (the household's card names its place); acts on a
  // chain that does not exist refuse agencies without the duty first (jurisdiction: the use-case tests) ----
  'POST /households/{householdId}/enforcement': [`/households/${householdId}/enforcement`, { kind: 'vacating' }, [WHO.meiwan, OTHER.court], [WHO.etdzBranch, OTHER.etdzDistrict]],
  'GET /projects/{projectId}/enforcement': [`/projects/${projectId}/enforcement`, undefined, [WHO.police, OTHER.finance], [OTHER.etdzTownship, WHO.etdzBranch]],
  'GET /enforcement/{chainId}': ['/enforcement/X', undefined, [WHO.police, OTHER.finance], []],
  'POST /enforcement/{chainId}/uploads': ['/enforcement/X/uploads', { purpose: 'service-proof', ...photoFile }, [WHO.police, OTHER.finance], []],
  'POST /enforcement/{chainId}/instruments': ['/enforcement/X/instruments', { kind: 'compensation-notification', number: 'N-1', terms: { facts: '未签协议' } }, [WHO.meiwan, WHO.police], []],
  'GET /enforcement/{chainId}/instruments/{instrumentId}/document': ['/enforcement/X/instruments/Y/document', undefined, [WHO.police, OTHER.finance], []],
  'POST /enforcement/{chainId}/instruments/{instrumentId}/service': ['/enforcement/X/instruments/Y/service', { method: 'in-person', deliveredAt: '2026-09-01T12:00:00+08:00', servedBy: '刘一', uploadIds: ['X'] }, [WHO.police, OTHER.court], []],
  'POST /enforcement/{chainId}/remedies': ['/enforcement/X/remedies', { kind: 'lawsuit', instrumentId: 'Y', filedAt: '2026-09-01T12:00:00+08:00', body: '冷水滩区人民法院' }, [WHO.meiwan, OTHER.court], []],
  'POST /enforcement/{chainId}/remedies/{remedyId}/outcome': ['/enforcement/X/remedies/R/outcome', { result: 'upheld', decidedAt: '2026-09-01T12:00:00+08:00', servedAt: '2026-09-01T12:00:00+08:00', summary: '维持' }, [WHO.meiwan, OTHER.court], []],
  'POST /enforcement/{chainId}/statements': ['/enforcement/X/statements', { receivedAt: '2026-09-01T12:00:00+08:00', summary: '申辩' }, [WHO.meiwan, WHO.police], []],
  'POST /enforcement/{chainId}/statements/{statementId}/review': ['/enforcement/X/statements/S/review', { established: false, reasoning: '不成立' }, [WHO.meiwan, WHO.police], []],
  'POST /enforcement/{chainId}/court/acceptance': ['/enforcement/X/court/acceptance', { accepted: true, at: '2026-09-01T12:00:00+08:00', caseNumber: 'C-1' }, [WHO.landBranch, WHO.meiwan], []],
  'POST /enforcement/{chainId}/court/review': ['/enforcement/X/court/review', { filedAt: '2026-09-01T12:00:00+08:00' }, [WHO.meiwan, OTHER.court], []],
  'POST /enforcement/{chainId}/court/review/decision': ['/enforcement/X/court/review/decision', { accepted: true, at: '2026-09-01T12:00:00+08:00' }, [WHO.landBranch, WHO.meiwan], []],
  'POST /enforcement/{chainId}/court/hearing': ['/enforcement/X/court/hearing', { decidedAt: '2026-09-01T12:00:00+08:00', reasons: '听取意见' }, [WHO.landBranch, WHO.legal], []],
  'POST /enforcement/{chainId}/court/ruling': ['/enforcement/X/court/ruling', { enforce: true, at: '2026-09-01T12:00:00+08:00', caseNumber: 'C-1', reasons: '准予', uploadIds: ['X'] }, [WHO.landBranch, WHO.legal], []],
  'POST /enforcement/{chainId}/joint-action': ['/enforcement/X/joint-action', { plannedFor: '2026-09-02T09:00:00+08:00', participants: [{ agency: 'urban-management', jurisdiction: 'yongzhou/lengshuitan', role: '拆除' }], measures: ['site-cordon'] }, [WHO.landBranch, WHO.district], []],
  'POST /enforcement/{chainId}/execution': ['/enforcement/X/execution', { startedAt: '2026-09-02T09:00:00+08:00', endedAt: '2026-09-02T11:00:00+08:00', summary: '执行', uploadIds: ['X'] }, [WHO.meiwan, WHO.legal], []],
  'POST /enforcement/{chainId}/handover': ['/enforcement/X/handover', { at: '2026-09-02T12:00:00+08:00', uploadIds: ['X'] }, [WHO.police, OTHER.court], []],
  'POST /enforcement/{chainId}/end': ['/enforcement/X/end', { reason: 'vacated', note: '已自行腾地' }, [WHO.meiwan, OTHER.court], []],
  // ---- incidents and petitions: reporting and lists refuse another place; acts on an incident or
  // petition refuse an agency without the duty before the record is looked up.
  'GET /incident-criteria': ['/incident-criteria', undefined, [OTHER.finance, WHO.legal], []],
  'PUT /incident-criteria': ['/incident-criteria', { criteria: [{ id: 'a', class: 'general', zh: '一般' }, { id: 'b', class: 'larger', zh: '较大' }, { id: 'c', class: 'major', zh: '重大' }] }, [WHO.district, WHO.meiwan], []],
  'POST /projects/{projectId}/incidents': [`/projects/${projectId}/incidents`, { summary: '聚集', location: { address: '现场' }, occurredAt: '2026-09-01T09:00:00+08:00', people: { count: 40, description: '村民' }, class: 'larger', reason: '聚集三十人以上' }, [WHO.police, WHO.landBranch], [OTHER.etdzTownship, OTHER.etdzDistrict]],
  'GET /projects/{projectId}/incidents': [`/projects/${projectId}/incidents`, undefined, [OTHER.finance, WHO.legal], [OTHER.etdzTownship, OTHER.etdzDistrict]],
  'GET /incidents/{incidentId}': ['/incidents/X', undefined, [OTHER.finance, WHO.legal], []],
  'POST /incidents/{incidentId}/uploads': ['/incidents/X/uploads', { purpose: 'scene', ...photoFile }, [WHO.police, WHO.landBranch], []],
  'POST /incidents/{incidentId}/evidence': ['/incidents/X/evidence', { uploadIds: ['X'] }, [WHO.police, WHO.legal], []],
  'POST /incidents/{incidentId}/first-response': ['/incidents/X/first-response', { actions: '劝离', at: '2026-09-01T09:00:00+08:00' }, [WHO.police, WHO.legal], []],
  'POST /incidents/{incidentId}/classification': ['/incidents/X/classification', { class: 'major', reason: '冲突' }, [WHO.meiwan, WHO.police], []],
  'POST /incidents/{incidentId}/leader-on-site': ['/incidents/X/leader-on-site', { leaderName: '陈明', leaderTitle: '区长', arrivedAt: '2026-09-01T09:00:00+08:00', location: { address: '现场' }, uploadIds: ['X'] }, [WHO.meiwan, WHO.leadingGroup], []],
  'POST /incidents/{incidentId}/referrals': ['/incidents/X/referrals', { description: '暴力抗拆' }, [WHO.police, WHO.landBranch], []],
  'POST /incidents/{incidentId}/close': ['/incidents/X/close', { outcome: '已处置' }, [WHO.meiwan, WHO.police], []],
  'POST /projects/{projectId}/petitions': [`/projects/${projectId}/petitions`, { kind: 'petition', channel: 'visit', raisedBy: '张三', summary: '反映补偿问题', receivedAt: '2026-09-01T09:00:00+08:00' }, [WHO.police, WHO.legal], [OTHER.etdzTownship, OTHER.etdzDistrict]],
  'GET /projects/{projectId}/petitions': [`/projects/${projectId}/petitions`, undefined, [WHO.police, OTHER.finance], [OTHER.etdzTownship, OTHER.etdzDistrict]],
  'GET /petitions/{petitionId}': ['/petitions/X', undefined, [WHO.police, OTHER.finance], []],
  'POST /petitions/{petitionId}/progress': ['/petitions/X/progress', { note: '已约谈' }, [WHO.police, WHO.landBranch], []],
  'POST /petitions/{petitionId}/close': ['/petitions/X/close', { outcome: '已答复' }, [WHO.meiwan, WHO.landBranch], []],
  // ---- oversight: the leading group office's meetings, the inspectors' supervision, the policy
  // queries' steps; a resolution's or an assignment's owner is checked against the record (unit tests).
  'POST /joint-meetings': ['/joint-meetings', { kind: 'regular', title: '联席会议', heldAt: '2026-09-01T09:00:00+08:00', attendees: [{ agency: 'land-bureau', jurisdiction: 'yongzhou', names: '王' }], agenda: ['调度'] }, [WHO.landBranch, WHO.district], []],
  'POST /joint-meetings/{meetingId}/uploads': ['/joint-meetings/X/uploads', { purpose: 'minutes', ...voucher }, [WHO.landBranch, WHO.district], []],
  'POST /joint-meetings/{meetingId}/minutes': ['/joint-meetings/X/minutes', { uploadId: 'X' }, [WHO.landBranch, WHO.meiwan], []],
  'POST /joint-meetings/{meetingId}/resolutions': ['/joint-meetings/X/resolutions', { kind: 'plan-approval', projectId: 'P', text: '审定' }, [WHO.landBranch, WHO.legal], []],
  'POST /resolutions/{resolutionId}/progress': ['/resolutions/X/progress', { note: '进展' }, [], []],
  'POST /resolutions/{resolutionId}/done': ['/resolutions/X/done', { summary: '已落实' }, [], []],
  'POST /policy-queries': ['/policy-queries', { subject: '青苗补偿', question: '标准如何适用', proposal: '参照相邻项目', letter: { number: '冷政函〔2026〕1号', date: '2026-09-01' } }, [WHO.landBranch, WHO.meiwan], []],
  'GET /policy-queries': ['/policy-queries', undefined, [WHO.meiwan, WHO.police], []],
  'GET /policy-queries/{queryId}': ['/policy-queries/X', undefined, [WHO.meiwan, WHO.police], []],
  'POST /policy-queries/{queryId}/topic-meeting': ['/policy-queries/X/topic-meeting', { heldAt: '2026-09-01T09:00:00+08:00', attendees: ['land-bureau'], opinion: '意见' }, [WHO.district, WHO.meiwan], []],
  'POST /policy-queries/{queryId}/submission': ['/policy-queries/X/submission', { reference: '永国土〔2026〕1号' }, [WHO.district, WHO.legal], []],
  'POST /policy-queries/{queryId}/decision': ['/policy-queries/X/decision', { decision: 'approve', decidedAt: '2026-09-01T09:00:00+08:00' }, [WHO.landBranch, WHO.district], []],
  'POST /policy-queries/{queryId}/application': ['/policy-queries/X/application', { appliedFrom: '2026-09-01T09:00:00+08:00' }, [WHO.landBranch, WHO.meiwan], []],
  'POST /supervision/reports': ['/supervision/reports', { number: '永征督〔2026〕1号', from: '2026-08-01T00:00:00+08:00', to: '2026-09-01T00:00:00+08:00' }, [WHO.leadingGroup, WHO.landBranch], []],
  'GET /supervision/reports/{reportId}': ['/supervision/reports/X', undefined, [WHO.landBranch, WHO.meiwan], []],
  'POST /supervision/assignments': ['/supervision/assignments', { problem: '整改', assignee: { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' }, period: '10wd' }, [WHO.leadingGroup, WHO.landBranch], []],
  'GET /supervision/assignments/{assignmentId}': ['/supervision/assignments/X', undefined, [], []],
  'POST /supervision/assignments/{assignmentId}/done': ['/supervision/assignments/X/done', { summary: '已整改' }, [], []],
  'POST /supervision/summons': ['/supervision/summons', { official: { name: '某', title: '副局长' }, agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', reason: '逾期', heldAt: '2026-09-01T09:00:00+08:00' }, [WHO.leadingGroup, WHO.landBranch], []],
  'GET /supervision/summons/{summonsId}': ['/supervision/summons/X', undefined, [WHO.landBranch, WHO.meiwan], []],
  'GET /scorecard': ['/scorecard?period=2026-09', undefined, [WHO.landBranch, WHO.meiwan], []],
  'POST /scorecard/export': ['/scorecard/export?period=2026-09', undefined, [WHO.landBranch, WHO.meiwan], []],
  'GET /scorecard/settings': ['/scorecard/settings', undefined, [WHO.landBranch, WHO.meiwan], []],
  'PUT /scorecard/settings': ['/scorecard/settings', { deductionRateBp: 1000 }, [WHO.landBranch, OTHER.finance], []],
});

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: '2026-09-01T10:00:00+08:00' });
  call = apiClient(cloud);
  ({ projectId } = await publishNoticeViaApi(call));
  const created = await call(WHO.meiwan, 'POST', `/projects/${projectId}/households`, household);
  if (created.status !== 201) throw new Error(`household: ${JSON.stringify(created)}`);
  householdId = created.body.householdId;
});
afterAll(async () => {
  await cloud?.stop();
});

describe('every route', () => {
  it('needs a token, except the OpenAPI document and the health check', async () => {
    for (const route of ALL_ROUTES) {
      const path = route.path.replace('{projectId}', projectId).replace('{year}', '2027');
      const response = await fetch(`${cloud.apiUrl}${path}`, { method: route.method });
      // The bank's callback carries the bank's signature instead of a token: a bare request is refused for its missing JSON body (415) and a well-formed unsigned one (401, below).
      const open = routeKeyOf(route) === 'POST /bank/callbacks' ? 415 : 200;
      expect(response.status, routeKeyOf(route)).toBe(route.auth === 'none' ? open : 401);
    }
    const unsigned = await fetch(`${cloud.apiUrl}/bank/callbacks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: 'A1:collective:1', status: 'settled', bankReference: 'B1', at: '2026-09-01T02:00:00.000Z', amountFen: 100 }) });
    expect(unsigned.status).toBe(401);
  });

  it('refuses agencies without the duty, and the right agency from another jurisdiction (403)', async () => {
    const matrix = MATRIX();
    const protectedRoutes = ALL_ROUTES.filter((r) => r.auth === 'jwt').map(routeKeyOf);
    // Routes open to every agency in its own jurisdiction have no target to refuse on (the project
    // list shows each caller only the projects it may read).
    const everyAgency = ['GET /me', 'GET /projects', 'GET /inbox', 'GET /my-work', 'GET /alerts', 'GET /calendar/deadline', 'GET /calendar/years', 'GET /joint-meetings', 'GET /joint-meetings/{meetingId}', 'GET /resolutions/{resolutionId}'];
    expect([...Object.keys(matrix), ...everyAgency].sort()).toEqual([...protectedRoutes].sort());
    for (const [key, [path, body, noDuty, otherPlace]] of Object.entries(matrix)) {
      const method = key.split(' ')[0]!;
      for (const who of [...noDuty, ...otherPlace]) {
        const response = await call(who, method, path, body);
        expect(response.status, `${key} as ${who.agency}@${who.jurisdiction}: ${JSON.stringify(response.body)}`).toBe(403);
        expect(response.body.error.code).toMatch(/^forbidden\./);
      }
    }
  });
});
