import * as z from 'zod';
import { AGENCY_IDS } from '../../shared/agencies.ts';
import { defineRoutes } from '../../shared/http/routes.ts';
import { agencyId, identityResponse, pageOf, utcInstant } from '../../shared/http/response-schemas.ts';
import { idParam, instant, pageQuery, text } from '../../shared/http/schemas.ts';
import { POLICY_DECISIONS, POLICY_QUERY_STATUSES } from './domain/policy-query.ts';

export const policyQueryParams = z.strictObject({ queryId: idParam });

const letterDate = z.iso.date({ error: 'letter.date 须为函的日期（YYYY-MM-DD，北京时间）' });
const documentNumber = text(100);
const districtId = z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, { error: 'district 须为区（县）辖区编号，如 yongzhou/lengshuitan' });

export const policyQueryBody = z.strictObject({
  projectId: idParam.optional(),
  subject: text(200),
  question: text(4000),
  proposal: text(4000),
  letter: z.strictObject({ number: documentNumber, date: letterDate }, { error: 'letter 须写明函的文号（number）和日期（date）' }),
});
export const topicMeetingBody = z.strictObject({
  heldAt: instant,
  attendees: z
    .array(z.enum(AGENCY_IDS, { error: '参会单位不存在' }))
    .min(1, { error: '须列明参会单位' })
    .max(AGENCY_IDS.length, { error: '参会单位重复' }),
  opinion: text(8000),
});
export const approvalSubmissionBody = z.strictObject({ reference: documentNumber });
export const policyDecisionBody = z.strictObject({
  decision: z.enum(POLICY_DECISIONS, { error: 'decision 须为 approve（批准）或 return（退回）' }),
  decidedAt: instant,
  reasons: text(2000).optional(),
  reference: documentNumber.optional(),
});
export const policyApplicationBody = z.strictObject({ appliedFrom: instant, note: text(2000).optional() });
export const policyQueryListQuery = pageQuery.extend({ district: districtId.optional() });

// ---- responses ----

const stepFields = { at: utcInstant, by: identityResponse, recordedAt: utcInstant };
const letterResponse = z.strictObject({ number: z.string(), date: z.iso.date() });
export const policyQueryStepResponse = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('submitted'), ...stepFields, letter: letterResponse }),
  z.strictObject({ step: z.literal('topic-meeting'), ...stepFields, round: z.int().positive(), attendees: z.array(agencyId), opinion: z.string() }),
  z.strictObject({ step: z.literal('submitted-for-approval'), ...stepFields, round: z.int().positive(), reference: z.string() }),
  z.strictObject({ step: z.literal('approved'), ...stepFields, round: z.int().positive(), reference: z.string().optional() }),
  z.strictObject({ step: z.literal('returned'), ...stepFields, round: z.int().positive(), reasons: z.string(), reference: z.string().optional() }),
  z.strictObject({ step: z.literal('applied'), ...stepFields, note: z.string().optional() }),
]);
export const policyQueryResponse = z.strictObject({
  queryId: z.string(),
  district: z.string(),
  projectId: z.string().optional(),
  subject: z.string(),
  question: z.string(),
  proposal: z.string(),
  letter: letterResponse,
  status: z.enum(POLICY_QUERY_STATUSES),
  submittedBy: identityResponse,
  submittedAt: utcInstant,
  steps: z.array(policyQueryStepResponse),
  updatedAt: utcInstant,
  /** Who acts next, in words; no agency once the opinion is in force. */
  next: z.strictObject({ agency: agencyId.optional(), jurisdiction: z.string().optional(), zh: z.string() }),
});

const query = (path = '') => `/policy-queries/{queryId}${path}`;
const post = { method: 'POST', service: 'oversight', auth: 'jwt', params: policyQueryParams, response: policyQueryResponse } as const;

export const policyQueryRoutes = defineRoutes({
  submitPolicyQuery: {
    method: 'POST',
    path: '/policy-queries',
    service: 'oversight',
    auth: 'jwt',
    summary: '区人民政府（管委会）对补偿安置政策把握不准的，提出处理建议并书面函告市国土资源局（§三(三)）',
    action: 'policy-query.submit',
    body: policyQueryBody,
    successStatus: 201,
    response: policyQueryResponse,
  },
  listPolicyQueries: {
    method: 'GET',
    path: '/policy-queries',
    service: 'oversight',
    auth: 'jwt',
    summary: '查看一个区的政策请示（区人民政府看本区的；市级单位须指定 district）',
    action: 'policy-query.read',
    query: policyQueryListQuery,
    response: pageOf(policyQueryResponse),
  },
  readPolicyQuery: { method: 'GET', path: query(), service: 'oversight', auth: 'jwt', summary: '查看政策请示及各步骤办理情况、下一步由谁办理', action: 'policy-query.read', params: policyQueryParams, response: policyQueryResponse },
  recordPolicyTopicMeeting: { ...post, path: query('/topic-meeting'), summary: '市国土资源局登记牵头召开的专题协调会议（时间、参会单位、研究意见）', action: 'policy-query.meeting', body: topicMeetingBody, successStatus: 201 },
  submitPolicyOpinion: { ...post, path: query('/submission'), summary: '市国土资源局将专题协调会议意见报市人民政府批准', action: 'policy-query.submit-for-approval', body: approvalSubmissionBody },
  decidePolicyOpinion: { ...post, path: query('/decision'), summary: '市人民政府批准或退回专题协调会议意见（退回须写明理由，由市国土资源局重新研究）', action: 'policy-query.decide', body: policyDecisionBody },
  applyPolicyOpinion: { ...post, path: query('/application'), summary: '区人民政府（管委会）登记执行经批准的意见及执行起始时间', action: 'policy-query.apply', body: policyApplicationBody },
});
