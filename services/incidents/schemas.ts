import * as z from 'zod';
import { defineRoutes } from '../../shared/http/routes.ts';
import { agencyId, beijingInstant, evidenceRecordResponse, identityResponse, pageOf, uploadSlotResponse, utcInstant } from '../../shared/http/response-schemas.ts';
import { idParam, instant, pageQuery, projectParams, text, uploadSlotBody } from '../../shared/http/schemas.ts';
import { INCIDENT_CLASSES } from './domain/criteria.ts';
import { PETITION_CHANNELS, PETITION_KINDS } from './domain/petition.ts';
import { PURPOSES } from './domain/uploads.ts';

export const incidentParams = z.strictObject({ incidentId: idParam });
export const petitionParams = z.strictObject({ petitionId: idParam });

const incidentClass = z.enum(INCIDENT_CLASSES, { error: 'class 须为 general（一般性事件）、larger（较大事件）或 major（重大事件）' });
const uploadIds = z.array(idParam).min(1, { error: '须附至少一份已上传的照片或视频' }).max(20, { error: '一次至多 20 份' });
const place = z.strictObject({
  address: text(200),
  latitude: z.number({ error: 'latitude 须为数字' }).min(-90).max(90).optional(),
  longitude: z.number({ error: 'longitude 须为数字' }).min(-180).max(180).optional(),
});
const criterionId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: '标准编号须为小写字母、数字和连字符，至多 40 位' });

export const criteriaBody = z.strictObject({
  criteria: z
    .array(z.strictObject({ id: criterionId, class: incidentClass, zh: text(500) }))
    .min(3, { error: '每一级事件至少须有一条标准' })
    .max(60),
});
export const reportBody = z.strictObject({
  township: text(100).optional(),
  householdIds: z.array(idParam).max(50).default([]),
  summary: text(2000),
  location: place,
  occurredAt: instant,
  people: z.strictObject({ count: z.int({ error: 'people.count 须为整数' }).min(0).max(100_000), description: text(1000) }),
  class: incidentClass,
  criterionId: criterionId.optional(),
  reason: text(1000),
  firstResponse: text(4000).optional(),
});
export const uploadBody = uploadSlotBody(PURPOSES);
export const evidenceBody = z.strictObject({ uploadIds });
export const firstResponseBody = z.strictObject({ actions: text(4000), at: instant, uploadIds: z.array(idParam).max(20).default([]) });
export const classifyBody = z.strictObject({ class: incidentClass, criterionId: criterionId.optional(), reason: text(1000) });
export const onSiteBody = z.strictObject({ leaderName: text(50), leaderTitle: text(50), arrivedAt: instant, location: place, uploadIds });
export const referBody = z.strictObject({ description: text(2000) });
export const closeBody = z.strictObject({ outcome: text(4000) });

export const petitionBody = z.strictObject({
  kind: z.enum(PETITION_KINDS, { error: 'kind 须为 petition（信访事项）或 dispute（补偿安置争议、矛盾纠纷）' }),
  channel: z.enum(PETITION_CHANNELS, { error: `channel 须为 ${PETITION_CHANNELS.join('、')}` }),
  raisedBy: text(100),
  summary: text(4000),
  receivedAt: instant,
  householdId: idParam.optional(),
});
export const progressBody = z.strictObject({ note: text(4000) });

// ---- responses ----

const placeResponse = z.strictObject({ address: z.string(), latitude: z.number().optional(), longitude: z.number().optional() });
export const criteriaResponse = z.strictObject({
  revision: z.int().nonnegative(),
  criteria: z.array(z.strictObject({ id: z.string(), class: incidentClass, zh: z.string() })),
  updatedBy: identityResponse.optional(),
  updatedAt: utcInstant.optional(),
});
const incidentFields = {
  incidentId: z.string(),
  projectId: z.string(),
  district: z.string(),
  township: z.string(),
  householdIds: z.array(z.string()),
  summary: z.string(),
  location: placeResponse,
  occurredAt: utcInstant,
  reportedAt: utcInstant,
  reportedBy: identityResponse,
  people: z.strictObject({ count: z.int(), description: z.string() }),
  evidence: z.array(evidenceRecordResponse),
  firstResponse: z.strictObject({ actions: z.string(), at: utcInstant, evidence: z.array(evidenceRecordResponse), recordedBy: identityResponse, recordedAt: utcInstant }).optional(),
  class: incidentClass,
  classifications: z.array(
    z.strictObject({ class: incidentClass, criterionId: z.string().optional(), criteriaRevision: z.int().optional(), reason: z.string(), by: identityResponse, at: utcInstant }),
  ),
  leaderOnSite: z
    .strictObject({ leaderName: z.string(), leaderTitle: z.string(), arrivedAt: utcInstant, location: placeResponse, evidence: z.array(evidenceRecordResponse), recordedBy: identityResponse, recordedAt: utcInstant })
    .optional(),
  referrals: z.array(z.strictObject({ agency: z.enum(['public-security', 'procuratorate']), task: z.string(), description: z.string(), by: identityResponse, at: utcInstant })),
  jointMeetingRequestedAt: utcInstant.optional(),
  status: z.enum(['open', 'closed']),
  closed: z.strictObject({ at: utcInstant, by: identityResponse, outcome: z.string() }).optional(),
  updatedAt: utcInstant,
};
export const incidentSummaryResponse = z.strictObject(incidentFields);
export const incidentResponse = z.strictObject({
  ...incidentFields,
  /** The district's 2-hour clocks as the deadline watches keep them. */
  clocks: z.array(
    z.strictObject({
      key: z.string(),
      triggeredAt: utcInstant,
      dueAt: utcInstant,
      dueAtBeijing: beijingInstant,
      status: z.enum(['open', 'met', 'overdue', 'met-late', 'elapsed', 'cancelled']),
      responsibleAgency: agencyId,
      metAt: utcInstant.optional(),
      alertedAt: utcInstant.optional(),
      cancelReason: z.string().optional(),
    }),
  ),
  now: utcInstant,
});
export const petitionResponse = z.strictObject({
  petitionId: z.string(),
  projectId: z.string(),
  district: z.string(),
  township: z.string().optional(),
  householdId: z.string().optional(),
  kind: z.enum(PETITION_KINDS),
  channel: z.enum(PETITION_CHANNELS),
  raisedBy: z.string(),
  summary: z.string(),
  receivedAt: utcInstant,
  recordedBy: identityResponse,
  recordedAt: utcInstant,
  assignedTo: z.strictObject({ agency: agencyId, jurisdiction: z.string() }),
  status: z.enum(['open', 'in-progress', 'closed']),
  steps: z.array(z.strictObject({ note: z.string(), by: identityResponse, at: utcInstant })),
  closed: z.strictObject({ outcome: z.string(), by: identityResponse, at: utcInstant }).optional(),
});

const incident = (path = '') => `/incidents/{incidentId}${path}`;
const post = { method: 'POST', service: 'incidents', auth: 'jwt', response: incidentResponse } as const;
const petition = (path = '') => `/petitions/{petitionId}${path}`;

export const routes = defineRoutes({
  readCriteria: { method: 'GET', path: '/incident-criteria', service: 'incidents', auth: 'jwt', summary: '查看现行突发事件分级标准（领导小组办公室制定）', action: 'incident.read', response: criteriaResponse },
  reviseCriteria: { method: 'PUT', path: '/incident-criteria', service: 'incidents', auth: 'jwt', summary: '修订突发事件分级标准（新版本生效，已作的定级保留其所依据的版本）', action: 'incident.criteria', body: criteriaBody, response: criteriaResponse },
  report: { ...post, path: '/projects/{projectId}/incidents', summary: '乡镇（街道）、社区第一时间报告突发事件（较大、重大事件自报告起2小时内区主要负责人须到场）', action: 'incident.report', params: projectParams, body: reportBody, successStatus: 201 },
  list: { method: 'GET', path: '/projects/{projectId}/incidents', service: 'incidents', auth: 'jwt', summary: '查看项目的突发事件', action: 'incident.read', params: projectParams, query: pageQuery, response: pageOf(incidentSummaryResponse) },
  read: { method: 'GET', path: incident(), service: 'incidents', auth: 'jwt', summary: '查看突发事件：报告、先期处置、定级、到场、移送及2小时时限', action: 'incident.read', params: incidentParams, response: incidentResponse },
  upload: { method: 'POST', path: incident('/uploads'), service: 'incidents', auth: 'jwt', summary: '申请上传事件现场、先期处置或领导到场的照片、视频', action: 'incident.report', params: incidentParams, body: uploadBody, successStatus: 201, response: uploadSlotResponse },
  evidence: { ...post, path: incident('/evidence'), summary: '附事件现场照片、视频', action: 'incident.report', params: incidentParams, body: evidenceBody },
  firstResponse: { ...post, path: incident('/first-response'), summary: '登记先期处置', action: 'incident.report', params: incidentParams, body: firstResponseBody },
  classify: { ...post, path: incident('/classification'), summary: '调整事件级别（写明理由；较大、重大事件降级须由领导小组办公室决定）', action: 'incident.classify', params: incidentParams, body: classifyBody },
  onSite: { ...post, path: incident('/leader-on-site'), summary: '登记区主要负责人到场处置（时间、地点、照片）', action: 'incident.on-site', params: incidentParams, body: onSiteBody, successStatus: 201 },
  refer: { ...post, path: incident('/referrals'), summary: '暴力抗拆移送公安机关（维护治安）和检察机关（快捕快诉）', action: 'incident.refer', params: incidentParams, body: referBody, successStatus: 201 },
  close: { ...post, path: incident('/close'), summary: '处置结案', action: 'incident.close', params: incidentParams, body: closeBody },
  recordPetition: { method: 'POST', path: '/projects/{projectId}/petitions', service: 'incidents', auth: 'jwt', summary: '登记信访事项或补偿安置争议（交区人民政府处理，市信访局指导协调）', action: 'petition.record', params: projectParams, body: petitionBody, successStatus: 201, response: petitionResponse },
  listPetitions: { method: 'GET', path: '/projects/{projectId}/petitions', service: 'incidents', auth: 'jwt', summary: '查看项目的信访事项和争议', action: 'petition.read', params: projectParams, query: pageQuery, response: pageOf(petitionResponse) },
  readPetition: { method: 'GET', path: petition(), service: 'incidents', auth: 'jwt', summary: '查看信访事项或争议及办理情况', action: 'petition.read', params: petitionParams, response: petitionResponse },
  petitionProgress: { method: 'POST', path: petition('/progress'), service: 'incidents', auth: 'jwt', summary: '登记办理情况', action: 'petition.handle', params: petitionParams, body: progressBody, response: petitionResponse },
  closePetition: { method: 'POST', path: petition('/close'), service: 'incidents', auth: 'jwt', summary: '办结（写明处理结果）', action: 'petition.close', params: petitionParams, body: closeBody, response: petitionResponse },
});
