import * as z from 'zod';
import { AGENCY_IDS } from '../../shared/agencies.ts';
import { defineRoutes } from '../../shared/http/routes.ts';
import { agencyId, beijingInstant, day, evidenceRecordResponse, identityResponse, pageOf, uploadSlotResponse, utcInstant } from '../../shared/http/response-schemas.ts';
import { idParam, instant, pageQuery, text, uploadSlotBody } from '../../shared/http/schemas.ts';
import { PURPOSES } from './domain/uploads.ts';
import { policyQueryRoutes } from './policy-query-schemas.ts';
import { deductionRateBody, scorecardExportResponse, scorecardQuery, scorecardResponse, scorecardSettingsResponse } from './scorecard-schemas.ts';

export const meetingParams = z.strictObject({ meetingId: idParam });
export const resolutionParams = z.strictObject({ resolutionId: idParam });

const period = z.string().regex(/^[1-9]\d{0,3}(d|wd|mo)$/, { error: '期限格式错误，例如 15d（日）、10wd（工作日）、1mo（月）' });
const agency = z.enum(AGENCY_IDS, { error: '单位不存在' });

export const meetingBody = z.strictObject({
  kind: z.enum(['regular', 'ad-hoc'], { error: 'kind 须为 regular（例会）或 ad-hoc（临时会议）' }),
  title: text(200),
  heldAt: instant,
  attendees: z.array(z.strictObject({ agency, jurisdiction: text(100), names: text(500) })).min(1, { error: '须列出参会单位' }).max(40),
  agenda: z.array(text(500)).min(1, { error: '须列出议题' }).max(40),
  projectIds: z.array(idParam).max(40).default([]),
  incidentIds: z.array(idParam).max(40).default([]),
});
export const uploadBody = uploadSlotBody(PURPOSES);
export const minutesBody = z.strictObject({ uploadId: idParam });
export const resolutionBody = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('task'), text: text(2000), owner: z.strictObject({ agency, jurisdiction: text(100) }), period, projectId: idParam.optional() }),
    z.strictObject({ kind: z.literal('plan-approval'), text: text(2000), projectId: idParam }),
  ],
  { error: 'kind 须为 task（交办事项）或 plan-approval（审定实施方案）' },
);
export const noteBody = z.strictObject({ note: text(4000) });
export const doneBody = z.strictObject({ summary: text(4000) });

export const reportBody = z.strictObject({ number: text(64), from: instant, to: instant });
export const assignBody = z.strictObject({ problem: text(2000), assignee: z.strictObject({ agency, jurisdiction: text(100) }), period, reportId: idParam.optional() });
export const summonsBody = z.strictObject({
  official: z.strictObject({ name: text(50), title: text(100) }),
  agency,
  jurisdiction: text(100),
  reason: text(2000),
  heldAt: instant,
  reportId: idParam.optional(),
  assignmentId: idParam.optional(),
});

// ---- responses ----

export const resolutionResponse = z.strictObject({
  resolutionId: z.string(),
  meetingId: z.string(),
  seq: z.int().positive(),
  kind: z.enum(['task', 'plan-approval']),
  text: z.string(),
  decidedAt: utcInstant,
  projectId: z.string().optional(),
  owner: z.strictObject({ agency: agencyId, jurisdiction: z.string() }).optional(),
  period: z.string().optional(),
  lastDay: day.optional(),
  dueAt: utcInstant.optional(),
  dueAtBeijing: beijingInstant.optional(),
  status: z.enum(['open', 'done', 'approved']),
  progress: z.array(z.strictObject({ note: z.string(), by: identityResponse, at: utcInstant })),
  done: z.strictObject({ summary: z.string(), by: identityResponse, at: utcInstant, late: z.boolean() }).optional(),
  deadline: z.strictObject({ status: z.enum(['open', 'met', 'overdue', 'met-late', 'elapsed', 'cancelled']), dueAt: utcInstant, alertedAt: utcInstant.optional(), metAt: utcInstant.optional() }).optional(),
  recordedBy: identityResponse,
  recordedAt: utcInstant,
});
const meetingFields = {
  meetingId: z.string(),
  kind: z.enum(['regular', 'ad-hoc']),
  title: z.string(),
  heldAt: utcInstant,
  month: z.string().regex(/^\d{4}-\d{2}$/),
  attendees: z.array(z.strictObject({ agency: agencyId, jurisdiction: z.string(), names: z.string() })),
  agenda: z.array(z.string()),
  projectIds: z.array(z.string()),
  incidentIds: z.array(z.string()),
  minutes: evidenceRecordResponse.optional(),
  resolutionIds: z.array(z.string()),
  recordedBy: identityResponse,
  recordedAt: utcInstant,
  updatedAt: utcInstant,
};
export const meetingSummaryResponse = z.strictObject(meetingFields);
export const meetingResponse = z.strictObject({ ...meetingFields, resolutions: z.array(resolutionResponse) });

const findings = z.strictObject({ resolutions: z.int().nonnegative(), missedDeadlines: z.int().nonnegative(), missedArrivals: z.int().nonnegative(), missedMeetingMonths: z.int().nonnegative() });
export const reportResponse = z.strictObject({
  reportId: z.string(),
  number: z.string(),
  period: z.strictObject({ from: utcInstant, to: utcInstant }),
  inspectedBy: z.array(agencyId),
  generatedAt: utcInstant,
  generatedBy: identityResponse,
  document: z.strictObject({ key: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.int().positive() }),
  findings,
  url: z.url(),
});
export const assignmentResponse = z.strictObject({
  assignmentId: z.string(),
  reportId: z.string().optional(),
  problem: z.string(),
  assignee: z.strictObject({ agency: agencyId, jurisdiction: z.string() }),
  period: z.string(),
  lastDay: day,
  dueAt: utcInstant,
  dueAtBeijing: beijingInstant,
  assignedBy: identityResponse,
  assignedAt: utcInstant,
  status: z.enum(['open', 'done']),
  done: z.strictObject({ summary: z.string(), by: identityResponse, at: utcInstant, late: z.boolean() }).optional(),
  deadline: z.strictObject({ status: z.enum(['open', 'met', 'overdue', 'met-late', 'elapsed', 'cancelled']), live: z.boolean(), alertedAt: utcInstant.optional(), metAt: utcInstant.optional() }).optional(),
});
export const summonsResponse = z.strictObject({
  summonsId: z.string(),
  official: z.strictObject({ name: z.string(), title: z.string() }),
  agency: agencyId,
  jurisdiction: z.string(),
  reason: z.string(),
  heldAt: utcInstant,
  reportId: z.string().optional(),
  assignmentId: z.string().optional(),
  recordedBy: identityResponse,
  recordedAt: utcInstant,
});

const meeting = (path = '') => `/joint-meetings/{meetingId}${path}`;
const resolution = (path = '') => `/resolutions/{resolutionId}${path}`;
const base = { service: 'oversight', auth: 'jwt' } as const;

export const routes = defineRoutes({
  recordMeeting: { ...base, method: 'POST', path: '/joint-meetings', summary: '登记联席会议（例会每个自然月至少一次；临时会议研究重大事件）', action: 'meeting.record', body: meetingBody, successStatus: 201, response: meetingResponse },
  listMeetings: { ...base, method: 'GET', path: '/joint-meetings', summary: '查看联席会议（新的在前）', action: 'meeting.read', query: pageQuery, response: pageOf(meetingSummaryResponse) },
  readMeeting: { ...base, method: 'GET', path: meeting(), summary: '查看联席会议、纪要及决议', action: 'meeting.read', params: meetingParams, response: meetingResponse },
  meetingUpload: { ...base, method: 'POST', path: meeting('/uploads'), summary: '申请上传会议纪要', action: 'meeting.record', params: meetingParams, body: uploadBody, successStatus: 201, response: uploadSlotResponse },
  minutes: { ...base, method: 'POST', path: meeting('/minutes'), summary: '登记会议纪要（证据，不可替换）', action: 'meeting.record', params: meetingParams, body: minutesBody, response: meetingResponse },
  recordResolution: { ...base, method: 'POST', path: meeting('/resolutions'), summary: '登记决议：交办事项（承办单位、时限）或审定实施方案', action: 'meeting.record', params: meetingParams, body: resolutionBody, successStatus: 201, response: resolutionResponse },
  readResolution: { ...base, method: 'GET', path: resolution(), summary: '查看决议及其落实情况、时限', action: 'meeting.read', params: resolutionParams, response: resolutionResponse },
  resolutionProgress: { ...base, method: 'POST', path: resolution('/progress'), summary: '承办单位报告决议落实进展', action: 'resolution.report', params: resolutionParams, body: noteBody, response: resolutionResponse },
  ...policyQueryRoutes,
  report: { ...base, method: 'POST', path: '/supervision/reports', summary: '督查报告：检查期间内决议不落实、联动不到位的事实（由记录生成 PDF，报市委市政府相关领导和市绩效办，抄送所在地党委、政府主要领导）', action: 'supervision.inspect', body: reportBody, successStatus: 201, response: reportResponse },
  readReport: { ...base, method: 'GET', path: '/supervision/reports/{reportId}', summary: '查看督查报告（附 PDF 下载链接）', action: 'supervision.read', params: z.strictObject({ reportId: idParam }), response: reportResponse },
  assign: { ...base, method: 'POST', path: '/supervision/assignments', summary: '交办问题（承办单位、办结时限；逾期督办）', action: 'supervision.inspect', body: assignBody, successStatus: 201, response: assignmentResponse },
  readAssignment: { ...base, method: 'GET', path: '/supervision/assignments/{assignmentId}', summary: '查看交办事项及其时限（督查单位、领导小组办公室、承办单位）', action: 'assignment.report', params: z.strictObject({ assignmentId: idParam }), response: assignmentResponse },
  assignmentDone: { ...base, method: 'POST', path: '/supervision/assignments/{assignmentId}/done', summary: '承办单位报告交办事项已办结', action: 'assignment.report', params: z.strictObject({ assignmentId: idParam }), body: doneBody, response: assignmentResponse },
  summon: { ...base, method: 'POST', path: '/supervision/summons', summary: '市纪委市监委登记对相关责任人的约谈', action: 'supervision.summon', body: summonsBody, successStatus: 201, response: summonsResponse },
  readSummons: { ...base, method: 'GET', path: '/supervision/summons/{summonsId}', summary: '查看约谈记录', action: 'supervision.read', params: z.strictObject({ summonsId: idParam }), response: summonsResponse },
  scorecard: { ...base, method: 'GET', path: '/scorecard', summary: '绩效考核：各单位按月、按年的按期、逾期、逾期时长、决议逾期、事件到场超时及扣减比例（由记录计算）', action: 'performance.read', query: scorecardQuery, response: scorecardResponse },
  scorecardExport: { ...base, method: 'POST', path: '/scorecard/export', summary: '导出绩效考核表（.xlsx，存储并附 SHA-256）', action: 'performance.read', query: scorecardQuery, successStatus: 201, response: scorecardExportResponse },
  scorecardSettings: { ...base, method: 'GET', path: '/scorecard/settings', summary: '查看工作经费扣减比例', action: 'performance.read', response: scorecardSettingsResponse },
  setScorecardSettings: { ...base, method: 'PUT', path: '/scorecard/settings', summary: '领导小组办公室设定工作经费扣减比例（基点）', action: 'scorecard.settings', body: deductionRateBody, response: scorecardSettingsResponse },
  resolutionDone: { ...base, method: 'POST', path: resolution('/done'), summary: '承办单位报告决议已落实（逾期的如实记载）', action: 'resolution.report', params: resolutionParams, body: doneBody, response: resolutionResponse },
});
