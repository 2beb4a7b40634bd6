import * as z from 'zod';
import { defineRoutes } from '../../shared/http/routes.ts';
import { deadlineWatchResponse, pageOf, reviewedDocumentFields } from '../../shared/http/response-schemas.ts';
import * as h from './household-schemas.ts';
import { projectParams, reviewBody, text } from '../../shared/http/schemas.ts';
import { fenSchema } from '../../shared/money.ts';

const resettlementOptionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ id: text(20), description: text(1000), kind: z.literal('cash') }),
  z.strictObject({ id: text(20), description: text(1000), kind: z.literal('swap'), fenPerSquareMetre: fenSchema }),
], { error: '安置方式的 kind 须为 cash（货币补偿）或 swap（产权调换，须给出安置房每平方米价格 fenPerSquareMetre）' });

/** The one standard (plan.ts): complete under LAL art. 48 / Regulations art. 32; amounts in fen. */
export const standardSchema = z.strictObject({
  landRates: z.array(z.strictObject({ landClass: text(50), fenPerMu: fenSchema })).max(100),
  resettlementSubsidyRates: z.array(z.strictObject({ landClass: text(50), fenPerMu: fenSchema })).max(100),
  cropRates: z.array(z.strictObject({ crop: text(50), fenPerMu: fenSchema })).max(200),
  attachmentRates: z.array(z.strictObject({ item: text(100), unit: text(20), fenPerUnit: fenSchema })).max(500),
  houseRates: z.array(z.strictObject({ structure: text(50), fenPerSquareMetre: fenSchema })).max(100),
  socialSecurity: z.strictObject({ fenPerPerson: fenSchema }),
  resettlementOptions: z.array(resettlementOptionSchema).max(20),
});

export const planDraftBody = z.strictObject({
  title: text(200),
  body: text(50_000),
  standard: standardSchema,
});

export const planResponse = z.strictObject({
  projectId: z.string(),
  title: z.string(),
  body: z.string(),
  standard: standardSchema,
  ...reviewedDocumentFields,
});

/** The published plan and the 45-day clock it met (absent when the project has none). */
export const publishPlanResponse = z.strictObject({ plan: planResponse, deadline: deadlineWatchResponse.optional() });

export const routes = defineRoutes({
  draftPlan: { method: 'PUT', path: '/projects/{projectId}/plan', service: 'compensation', summary: '拟定或修改征地补偿安置实施方案（含唯一补偿标准，金额以分计）', action: 'plan.draft', auth: 'jwt', params: projectParams, body: planDraftBody, response: planResponse },
  getPlan: { method: 'GET', path: '/projects/{projectId}/plan', service: 'compensation', summary: '查看实施方案', action: 'project.read', auth: 'jwt', params: projectParams, response: planResponse },
  reviewPlan: { method: 'POST', path: '/projects/{projectId}/plan/review', service: 'compensation', summary: '法制办审核实施方案', action: 'plan.review', auth: 'jwt', params: projectParams, body: reviewBody, response: planResponse },
  publishPlan: { method: 'POST', path: '/projects/{projectId}/plan/publish', service: 'compensation', summary: '发布实施方案（锁定补偿标准，结束45日期限）', action: 'plan.publish', auth: 'jwt', params: projectParams, response: publishPlanResponse },

  // ---- households: survey, checks, disputes, computation, agreements (seed §五(一)4) ----
  createHousehold: { method: 'POST', path: '/projects/{projectId}/households', service: 'compensation', summary: '登记被征收户及其成员（身份证号加密保存、脱敏显示）', action: 'household.survey', auth: 'jwt', params: projectParams, body: h.createHouseholdBody, response: h.householdResponse, successStatus: 201 },
  listHouseholds: { method: 'GET', path: '/projects/{projectId}/households', service: 'compensation', summary: '分页查看项目的被征收户（可按村民小组、状态筛选；q 按户主或成员姓名、脱敏身份证号如后4位查找，不比对明文）。跨村民小组的状态筛选和 q 在读取索引之后进行：一页可能少于 limit 条甚至为空，返回 cursor 即应继续翻页', action: 'household.read', auth: 'jwt', params: projectParams, query: h.householdListQuery, response: pageOf(h.householdResponse) },
  getHousehold: { method: 'GET', path: '/households/{householdId}', service: 'compensation', summary: '查看被征收户', action: 'household.read', auth: 'jwt', params: h.householdParams, response: h.householdResponse },
  householdTimeline: { method: 'GET', path: '/households/{householdId}/timeline', service: 'compensation', summary: '被征收户的程序时间线（调查、核查、协议、3个月支付期限）', action: 'household.read', auth: 'jwt', params: h.householdParams, response: h.householdTimelineResponse },
  householdUpload: { method: 'POST', path: '/households/{householdId}/uploads', service: 'compensation', summary: '申请上传本户证据（房屋影像、调查确认书、签字协议扫描件；上传单位依用途而定）', action: 'household.evidence', auth: 'jwt', params: h.householdParams, body: h.uploadBody, response: h.uploadResponse, successStatus: 201 },
  projectUpload: { method: 'POST', path: '/projects/{projectId}/uploads', service: 'compensation', summary: '申请上传项目文件（调查表、补偿公示张贴影像）', action: 'household.import', auth: 'jwt', params: projectParams, body: h.uploadBody, response: h.uploadResponse, successStatus: 201 },
  recordSurvey: { method: 'PUT', path: '/households/{householdId}/survey', service: 'compensation', summary: '登记调查结果（地块、青苗、附着物、房屋；数量为十进制字符串）', action: 'household.survey', auth: 'jwt', params: h.householdParams, body: h.surveyItemsBody, response: h.householdResponse },
  addSurveyEvidence: { method: 'POST', path: '/households/{householdId}/survey/evidence', service: 'compensation', summary: '附加调查影像资料（已核验的上传）', action: 'household.evidence', auth: 'jwt', params: h.householdParams, body: h.surveyEvidenceBody, response: h.householdResponse },
  confirmSurvey: { method: 'POST', path: '/households/{householdId}/survey/confirm', service: 'compensation', summary: '登记被征收户签字确认调查结果（开启户籍、军人核查）', action: 'household.confirm-survey', auth: 'jwt', params: h.householdParams, body: h.confirmSurveyBody, response: h.householdResponse },
  determineLegality: { method: 'POST', path: '/households/{householdId}/houses/{itemId}/legality', service: 'compensation', summary: '认定房屋合法性（违法建筑不予补偿）', action: 'household.legality', auth: 'jwt', params: h.houseParams, body: h.legalityBody, response: h.householdResponse },
  recordCheck: { method: 'POST', path: '/households/{householdId}/checks/{memberId}/{kind}', service: 'compensation', summary: '记录户籍核实（kind=hukou，公安）或军人情况审核（kind=military，民政）结果', action: 'household.hukou-check', auth: 'jwt', params: h.checkParams, body: h.checkBody, response: h.householdResponse },
  raiseDispute: { method: 'POST', path: '/households/{householdId}/disputes', service: 'compensation', summary: '登记被征收户的异议（处理前不能签订协议）', action: 'dispute.raise', auth: 'jwt', params: h.householdParams, body: h.disputeBody, response: h.householdResponse, successStatus: 201 },
  resolveDispute: { method: 'POST', path: '/households/{householdId}/disputes/{disputeId}/resolve', service: 'compensation', summary: '协调处理争议：重新调查或维持', action: 'dispute.resolve', auth: 'jwt', params: h.disputeParams, body: h.resolveDisputeBody, response: h.householdResponse },
  computeCompensation: { method: 'POST', path: '/households/{householdId}/compensation', service: 'compensation', summary: '依据唯一补偿标准核算本户补偿（逐项明细，金额以分计）', action: 'compensation.compute', auth: 'jwt', params: h.householdParams, response: h.compensationResponse },
  getCompensation: { method: 'GET', path: '/households/{householdId}/compensation', service: 'compensation', summary: '查看本户补偿核算', action: 'household.read', auth: 'jwt', params: h.householdParams, response: h.compensationResponse },
  listAgreements: { method: 'GET', path: '/households/{householdId}/agreements', service: 'compensation', summary: '查看本户征收土地协议（含补充协议）', action: 'agreement.read', auth: 'jwt', params: h.householdParams, response: z.array(h.agreementResponse) },
  signAgreement: { method: 'POST', path: '/households/{householdId}/agreements/{agreementId}/sign', service: 'compensation', summary: '签订征收土地协议（上传签字扫描件，开始3个月支付期限）', action: 'agreement.sign', auth: 'jwt', params: h.agreementParams, body: h.signAgreementBody, response: h.signAgreementResponse },
  getResettlementList: { method: 'GET', path: '/projects/{projectId}/village-groups/{villageGroupId}/resettlement-list', service: 'compensation', summary: '查看村民小组农转非安置人员名单', action: 'household.read', auth: 'jwt', params: h.groupParams, response: h.resettlementListResponse },
  coReviewResettlementList: { method: 'POST', path: '/projects/{projectId}/village-groups/{villageGroupId}/resettlement-list/co-review', service: 'compensation', summary: '乡镇会审安置人员名单', action: 'resettlement-list.co-review', auth: 'jwt', params: h.groupParams, body: h.coReviewBody, response: h.resettlementListResponse },
  approveResettlementList: { method: 'POST', path: '/projects/{projectId}/village-groups/{villageGroupId}/resettlement-list/approve', service: 'compensation', summary: '区政府审批农转非安置人员名单（核查未完成不能审批）', action: 'resettlement-list.approve', auth: 'jwt', params: h.groupParams, response: h.resettlementListResponse },
  postDisclosure: { method: 'POST', path: '/projects/{projectId}/village-groups/{villageGroupId}/disclosures/{disclosureId}/postings', service: 'compensation', summary: '张贴补偿公示并留存影像证据', action: 'disclosure.post', auth: 'jwt', params: h.disclosureParams, body: h.postDisclosureBody, response: h.disclosureResponse },
  startImport: { method: 'POST', path: '/projects/{projectId}/survey-imports', service: 'compensation', summary: '导入已上传的调查表（异步任务）', action: 'household.import', auth: 'jwt', params: projectParams, body: h.startImportBody, response: h.importResponse, successStatus: 202 },
  getImport: { method: 'GET', path: '/projects/{projectId}/survey-imports/{jobId}', service: 'compensation', summary: '查看调查表导入进度与错误行', action: 'household.import', auth: 'jwt', params: h.importParams, response: h.importResponse },
});

/** The documents function: what needs the PDF and workbook libraries (decision 0017). */
export const documentRoutes = defineRoutes({
  surveyTemplate: { method: 'GET', path: '/projects/{projectId}/survey-template', service: 'compensation-documents', summary: '下载调查表模板（.xlsx，中文表头，含数据有效性）', action: 'household.import', auth: 'jwt', params: projectParams, response: h.templateResponse },
  exportDisclosure: { method: 'POST', path: '/projects/{projectId}/village-groups/{villageGroupId}/disclosures', service: 'compensation-documents', summary: '生成村民小组补偿公示（PDF 与 .xlsx，身份证号脱敏）', action: 'disclosure.export', auth: 'jwt', params: h.groupParams, body: h.exportDisclosureBody, response: h.disclosureResponse, successStatus: 201 },
  draftAgreement: { method: 'POST', path: '/households/{householdId}/agreements', service: 'compensation-documents', summary: '拟定征收土地协议（或补充协议）并生成 PDF 文本', action: 'agreement.draft', auth: 'jwt', params: h.householdParams, body: h.draftAgreementBody, response: h.draftAgreementResponse, successStatus: 201 },
});
