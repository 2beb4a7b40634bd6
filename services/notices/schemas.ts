import * as z from 'zod';
import { EVIDENCE_CONTENT_TYPES, MAX_EVIDENCE_BYTES } from '../../shared/evidence/evidence.ts';
import { MAX_VILLAGE_GROUPS } from '../../shared/cases/project.ts';
import { PROJECT_STAGES } from './domain/project-stage.ts';
import { defineRoutes } from '../../shared/http/routes.ts';
import { agencyId, beijingInstant, deadlineWatchResponse, evidenceRecordResponse, identityResponse, pageOf, reviewedDocumentFields, timelineStepResponse, uploadSlotResponse, utcInstant } from '../../shared/http/response-schemas.ts';
import { instant, pageQuery, projectParams, reviewBody, text } from '../../shared/http/schemas.ts';

const villageGroup = z.strictObject({
  name: text(50),
  village: text(50),
  township: text(100),
});

export const createProjectBody = z.strictObject({
  name: text(200),
  district: text(100),
  villageGroups: z
    .array(villageGroup)
    .min(1, { error: '至少需要一个被征收村民小组' })
    .max(MAX_VILLAGE_GROUPS, { error: `一个项目至多 ${MAX_VILLAGE_GROUPS} 个村民小组，请分项目办理` }),
});

export const noticeDraftBody = z.strictObject({
  title: text(200),
  body: text(20_000),
  registrationPeriod: z.string().regex(/^[1-9]\d{0,2}(d|wd)$/, { error: '补偿登记期限须为天数（如 30d）或工作日数（如 20wd）' }),
  registrationPlace: text(500),
});

const documentKind = z.enum(['notice', 'plan'], { error: 'document 须为 notice（通告）或 plan（方案）' });

export const evidenceUploadBody = z.strictObject({
  document: documentKind,
  villageGroupId: text(20),
  contentType: z.enum(EVIDENCE_CONTENT_TYPES, { error: `证据须为照片或视频（${EVIDENCE_CONTENT_TYPES.join('、')}）` }),
  fileName: text(200),
  size: z.int().positive().max(MAX_EVIDENCE_BYTES, { error: `证据文件不能超过 ${MAX_EVIDENCE_BYTES / 1024 ** 3} GB（单次上传的上限）` }),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'sha256 须为文件 SHA-256 的 64 位十六进制值' }),
});

export const postingBody = z.strictObject({
  document: documentKind,
  villageGroupId: text(20),
  uploadIds: z.array(text(64)).min(1, { error: '张贴记录必须附有照片或视频证据' }).max(20),
  postedAt: instant,
  place: z.strictObject({
    description: text(500),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  }),
});

/**
 * The project list's search: a part of the name and the stage. Each project listed costs two more
 * reads (its notice and plan, for the stage), hence the smaller page.
 */
export const projectListQuery = pageQuery.extend({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  q: z.string().trim().min(1, { error: '搜索内容不能为空' }).max(50, { error: '搜索内容不能超过 50 个字符' }).optional(),
  stage: z.enum(PROJECT_STAGES, { error: `stage 须为 ${PROJECT_STAGES.join('、')}` }).optional(),
});

// ---- responses ----

export const projectResponse = z.strictObject({
  id: z.string(),
  name: z.string(),
  district: z.string(),
  villageGroups: z.array(z.strictObject({ id: z.string(), name: z.string(), village: z.string(), township: z.string() })),
  createdAt: utcInstant,
  createdBy: identityResponse,
});

export const projectListResponse = pageOf(
  z.strictObject({
    id: z.string(),
    name: z.string(),
    district: z.string(),
    districtName: z.string(),
    stage: z.enum(PROJECT_STAGES),
    stageName: z.string(),
    createdAt: utcInstant,
    villageGroupCount: z.int().positive(),
  }),
);

export const timelineResponse = z.strictObject({
  projectId: z.string(),
  name: z.string(),
  now: utcInstant,
  nowBeijing: beijingInstant,
  steps: z.array(timelineStepResponse),
});

export const noticeResponse = z.strictObject({
  projectId: z.string(),
  title: z.string(),
  body: z.string(),
  registrationPeriod: z.string(),
  registrationPlace: z.string(),
  ...reviewedDocumentFields,
});

export const publishNoticeResponse = z.strictObject({ notice: noticeResponse, deadlines: z.array(deadlineWatchResponse) });

export const evidenceUploadResponse = uploadSlotResponse;

export const postingResponse = z.strictObject({
  postingId: z.string(),
  projectId: z.string(),
  document: z.enum(['notice', 'plan']),
  villageGroupId: z.string(),
  township: z.string(),
  postedAt: utcInstant,
  place: z.strictObject({ description: z.string(), latitude: z.number().optional(), longitude: z.number().optional() }),
  evidence: z.array(evidenceRecordResponse),
  recordedBy: identityResponse,
  recordedAt: utcInstant,
  /** For the notice: the group's registration window, which its first verified posting started. */
  registrationWindow: deadlineWatchResponse.optional(),
});

/** The project's postings, group by group, each evidence file with a presigned download URL. */
export const projectPostingsResponse = z.strictObject({
  projectId: z.string(),
  /** When the download URLs stop working (DOWNLOAD_URL_TTL_SECONDS after the request): read the list again for fresh ones. */
  urlsExpireAt: utcInstant,
  items: z.array(
    z.strictObject({
      postingId: z.string(),
      document: z.enum(['notice', 'plan']),
      villageGroupId: z.string(),
      /** The group as people name it: village and group. */
      villageGroup: z.string().optional(),
      township: z.string(),
      postedAt: utcInstant,
      postedAtBeijing: beijingInstant,
      place: z.strictObject({ description: z.string(), latitude: z.number().optional(), longitude: z.number().optional() }),
      recordedBy: identityResponse,
      recordedAt: utcInstant,
      evidence: z.array(
        z.strictObject({
          contentType: z.string(),
          sha256: z.string().regex(/^[0-9a-f]{64}$/),
          size: z.int().nonnegative(),
          verifiedAt: utcInstant,
          /** A presigned GET of the file, valid until `urlsExpireAt`. */
          url: z.url(),
        }),
      ),
    }),
  ),
});

export const hukouSuspensionResponse = z.strictObject({
  projectId: z.string(),
  acknowledgedAt: utcInstant,
  acknowledgedBy: identityResponse,
});

export const hukouResumptionResponse = z.strictObject({
  projectId: z.string(),
  resumedAt: utcInstant,
  resumedBy: identityResponse,
  households: z.int().positive(),
});

export const inboxResponse = pageOf(
  z.strictObject({
    eventId: z.string(),
    projectId: z.string(),
    addressee: agencyId,
    kind: z.string(),
    at: utcInstant,
    title: z.string(),
    text: z.string(),
    jurisdictions: z.array(z.string()),
    data: z.record(z.string(), z.unknown()),
  }),
);

export const routes = defineRoutes({
  createProject: { method: 'POST', path: '/projects', service: 'notices', summary: '创建征收项目', action: 'project.create', auth: 'jwt', body: createProjectBody, successStatus: 201, response: projectResponse },
  listProjects: { method: 'GET', path: '/projects', service: 'notices', summary: '本辖区可见的征收项目（新的在前，分页；q 按名称查找，stage 按阶段筛选）。筛选在读取索引之后进行：一页可能少于 limit 条甚至为空，返回 cursor 即应继续翻页', action: 'project.read', auth: 'jwt', query: projectListQuery, response: projectListResponse },
  getProject: { method: 'GET', path: '/projects/{projectId}', service: 'notices', summary: '查看征收项目', action: 'project.read', auth: 'jwt', params: projectParams, response: projectResponse },
  timeline: { method: 'GET', path: '/projects/{projectId}/timeline', service: 'notices', summary: '项目程序时间线（各步骤、期限、状态、法律依据）', action: 'project.read', auth: 'jwt', params: projectParams, response: timelineResponse },
  draftNotice: { method: 'PUT', path: '/projects/{projectId}/notice', service: 'notices', summary: '拟定或修改征收土地通告（提交法制办审核）', action: 'notice.draft', auth: 'jwt', params: projectParams, body: noticeDraftBody, response: noticeResponse },
  getNotice: { method: 'GET', path: '/projects/{projectId}/notice', service: 'notices', summary: '查看征收土地通告', action: 'project.read', auth: 'jwt', params: projectParams, response: noticeResponse },
  reviewNotice: { method: 'POST', path: '/projects/{projectId}/notice/review', service: 'notices', summary: '法制办审核征收土地通告（通过或退回）', action: 'notice.review', auth: 'jwt', params: projectParams, body: reviewBody, response: noticeResponse },
  publishNotice: { method: 'POST', path: '/projects/{projectId}/notice/publish', service: 'notices', summary: '发布征收土地通告（启动45日方案期限与各村民小组张贴期限）', action: 'notice.publish', auth: 'jwt', params: projectParams, response: publishNoticeResponse },
  requestEvidenceUpload: { method: 'POST', path: '/projects/{projectId}/evidence-uploads', service: 'notices', summary: '申请上传张贴证据（返回预签名地址）', action: 'posting.record', auth: 'jwt', params: projectParams, body: evidenceUploadBody, successStatus: 201, response: evidenceUploadResponse },
  recordPosting: { method: 'POST', path: '/projects/{projectId}/postings', service: 'notices', summary: '登记公告张贴（须附经核验的照片或视频证据；通告张贴起算本组登记期限）', action: 'posting.record', auth: 'jwt', params: projectParams, body: postingBody, successStatus: 201, response: postingResponse },
  postings: { method: 'GET', path: '/projects/{projectId}/postings', service: 'notices', summary: '项目各村民小组的公告张贴记录及证据（含短时效下载地址）', action: 'project.read', auth: 'jwt', params: projectParams, response: projectPostingsResponse },
  acknowledgeHukouSuspension: { method: 'POST', path: '/projects/{projectId}/hukou-suspension/acknowledge', service: 'notices', summary: '公安确认已暂停办理被征收村民小组的户籍异动', action: 'hukou-suspension.acknowledge', auth: 'jwt', params: projectParams, response: hukouSuspensionResponse },
  resumeHukouChanges: { method: 'POST', path: '/projects/{projectId}/hukou-suspension/resume', service: 'notices', summary: '公安在被征收户全部签约并足额支付后恢复办理户籍异动', action: 'hukou-changes.resume', auth: 'jwt', params: projectParams, successStatus: 201, response: hukouResumptionResponse },
  inbox: { method: 'GET', path: '/inbox', service: 'notices', summary: '本单位待办事项（新的在前，分页；如公安暂停户籍异动通知）', action: 'inbox.read', auth: 'jwt', query: pageQuery, response: inboxResponse },
});
