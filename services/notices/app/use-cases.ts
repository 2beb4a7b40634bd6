import { districtsSeenFrom, findJurisdiction } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type {
  CaseCounterRepository,
  Change,
  InboxRepository,
  ProjectRepository,
  PlanApprovalRepository,
  ReviewedDocumentRepository,
  UnitOfWork,
  Versioned,
  WatchRepository,
} from '../../../shared/cases/ports.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import { createProject, groupLabel, jurisdictionsOf, villageGroupFor, type NewProject, type Project, type VillageGroup } from '../../../shared/cases/project.ts';
import { formatBeijing, type HolidayCalendar, type RuleId } from '../../../shared/calendar/index.ts';
import { perGroupRuleId, watchRule } from '../../../shared/deadlines/watch-rules.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { meetWatch, openWatch, type DeadlineWatch, type WatchRule } from '../../../shared/deadlines/watch.ts';
import { DOWNLOAD_URL_TTL_SECONDS, openUploadSlot, verifyEvidence, type EvidenceStore, type UploadInstructions } from '../../../shared/evidence/evidence.ts';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import { inboxEvent, visibleTo, type InboxEvent } from '../../../shared/inbox.ts';
import { log } from '../../../shared/log.ts';
import { authorize, withinJurisdiction } from '../../../shared/permissions.ts';
import { containsText } from '../../../shared/search.ts';
import { everyHouseholdPaid, everyHouseholdSigned, type HukouResumption, type HukouSuspension } from '../domain/hukou.ts';
import { projectStage, STAGE_ZH, type ProjectStage } from '../domain/project-stage.ts';
import { draftNotice, publishNotice, reviewNotice, type Notice, type NoticeDraft } from '../domain/notice.ts';
import { checkPostedAt, checkUploadUsable, evidenceKey, type EvidenceUpload, type PostedDocument, type Posting } from '../domain/posting.ts';
import type { EvidenceUploadRepository, HukouSuspensionRepository, PostingRepository } from './ports.ts';

export interface NoticesDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  documents: ReviewedDocumentRepository;
  /** The joint meeting's approval of the plan (oversight service), shown on the timeline. */
  planApprovals: PlanApprovalRepository;
  watches: WatchRepository;
  inbox: InboxRepository;
  counters: CaseCounterRepository;
  uploads: EvidenceUploadRepository;
  postings: PostingRepository;
  hukou: HukouSuspensionRepository;
  evidence: EvidenceStore;
  scheduler: WatchScheduler;
  calendar: () => Promise<HolidayCalendar>;
  newId: (nowMs: number) => string;
}

/** The phase of the procedure this service's watches belong to. */
export const PROJECT_PHASE = 'project';

/**
 * The phase timing one village group's registration window: its own workflow, started when the
 * group's posting starts the window, so the project phase's workflow is never restarted for it
 * (decision 0015). Safe in an execution name (letters, digits and `-` only).
 */
export const registrationPhase = (villageGroupId: string) => `registration-${villageGroupId}`;

/** A rule that runs once per village group: keyed by group, named with it, in the group's township. */
function groupWatchRule(ruleId: RuleId, group: VillageGroup, options: { period?: string } = {}): WatchRule {
  const rule = watchRule(ruleId, options);
  return { ...rule, id: perGroupRuleId(ruleId, group.id), step: `${rule.step}：${group.village}${group.name}` };
}

export async function createProjectCase(deps: NoticesDeps, input: NewProject, ctx: ActionContext): Promise<Project> {
  authorize(ctx.actor, 'project.create', [input.district]);
  const project = createProject(deps.newId(ctx.now.getTime()), input, ctx.actor, ctx.now);
  await deps.uow.commit(
    [deps.projects.create(project)],
    [auditOf(ctx, 'project.create', { type: 'project', id: project.id, projectId: project.id }, { name: project.name })],
  );
  return project;
}

export async function getProject(deps: NoticesDeps, projectId: string, ctx: ActionContext): Promise<Project> {
  const { version: _version, ...project } = await deps.projects.get(projectId);
  authorize(ctx.actor, 'project.read', jurisdictionsOf(project));
  await auditRead(deps.uow, ctx, 'project.read', { type: 'project', id: projectId, projectId });
  return project;
}

/** A project as its list shows it. */
export interface ProjectSummary {
  id: string;
  name: string;
  district: string;
  districtName: string;
  stage: ProjectStage;
  stageName: string;
  createdAt: string;
  villageGroupCount: number;
}

export interface ProjectListQuery {
  q?: string | undefined;
  stage?: ProjectStage | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * The projects the caller may read, newest first: those of the districts its jurisdiction sees,
 * kept when its jurisdiction covers the project's district or one of its townships (the rule of
 * `getProject`). The name search, the stage and a township's own groups are filtered after the
 * index is read, so a page may hold fewer than `limit` projects (even none); the cursor still moves
 * on, and the list ends only when no cursor comes back.
 */
export async function listProjects(deps: NoticesDeps, query: ProjectListQuery, ctx: ActionContext): Promise<{ items: ProjectSummary[]; cursor?: string }> {
  authorize(ctx.actor, 'project.read', [ctx.actor.jurisdiction]);
  const found = await deps.projects.pageInDistricts(districtsSeenFrom(ctx.actor.jurisdiction), { limit: query.limit, cursor: query.cursor });
  const wanted = found.items.filter((p) => withinJurisdiction(ctx.actor, jurisdictionsOf(p)) && (query.q === undefined || containsText(p.name, query.q)));
  const summaries = await Promise.all(
    wanted.map(async (project): Promise<ProjectSummary> => {
      const [notice, plan] = await Promise.all([deps.documents.find(project.id, 'notice'), deps.documents.find(project.id, 'plan')]);
      const stage = projectStage(notice, plan);
      return {
        id: project.id,
        name: project.name,
        district: project.district,
        districtName: findJurisdiction(project.district)?.nameZh ?? project.district,
        stage,
        stageName: STAGE_ZH[stage],
        createdAt: project.createdAt,
        villageGroupCount: project.villageGroups.length,
      };
    }),
  );
  const items = query.stage === undefined ? summaries : summaries.filter((s) => s.stage === query.stage);
  await auditRead(deps.uow, ctx, 'project.list', { type: 'project-list', id: ctx.actor.jurisdiction }, {
    count: items.length,
    ...(query.q !== undefined ? { q: query.q } : {}),
    ...(query.stage !== undefined ? { stage: query.stage } : {}),
  });
  return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
}

export async function draftProjectNotice(deps: NoticesDeps, projectId: string, draft: NoticeDraft, ctx: ActionContext): Promise<Notice> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'notice.draft', [project.district]);
  checkRegistrationPeriod(draft.registrationPeriod);
  const existing = await deps.documents.find<Notice>(projectId, 'notice');
  const notice = draftNotice(existing && withoutVersion(existing), projectId, draft, ctx.actor, ctx.now);
  await deps.uow.commit(
    [deps.documents.save(projectId, 'notice', notice, existing?.version ?? 'absent')],
    [auditOf(ctx, 'notice.draft', { type: 'notice', id: projectId, projectId }, { revision: notice.revision })],
  );
  return notice;
}

export async function reviewProjectNotice(
  deps: NoticesDeps,
  projectId: string,
  input: { decision: 'approve' | 'return'; reasons?: string | undefined },
  ctx: ActionContext,
): Promise<Notice> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'notice.review', [project.district]);
  const existing = await requireNotice(deps, projectId);
  const notice = reviewNotice(withoutVersion(existing), input.decision, input.reasons, ctx.actor, ctx.now);
  await deps.uow.commit(
    [deps.documents.save(projectId, 'notice', notice, existing.version)],
    [auditOf(ctx, 'notice.review', { type: 'notice', id: projectId, projectId }, { decision: input.decision, revision: notice.revision })],
  );
  return notice;
}

/**
 * Publishes the approved notice. In the same transaction it opens the clocks publication starts
 * (the 45-day plan deadline; each township's deadline to post the notice in each of its village
 * groups) and asks public security to suspend hukou changes in the affected groups; then it starts
 * the workflow that times the clocks. The registration window does not start here: it runs per
 * village group from that group's verified posting (征收土地公告办法 arts. 3, 14; decision 0015).
 */
export async function publishProjectNotice(
  deps: NoticesDeps,
  projectId: string,
  ctx: ActionContext,
): Promise<{ notice: Notice; deadlines: DeadlineWatch[] }> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'notice.publish', [project.district]);
  const existing = await requireNotice(deps, projectId);
  const notice = publishNotice(withoutVersion(existing), ctx.actor, ctx.now);
  const calendar = await deps.calendar();
  // The label names the case in inboxes and alerts (an agency reads 项目名称, not its id).
  const plan = openWatch({ caseId: projectId, phase: PROJECT_PHASE, jurisdiction: project.district, caseLabel: project.name }, watchRule('implementation-plan'), ctx.now, calendar);
  const postings = project.villageGroups.map((group) =>
    openWatch({ caseId: projectId, phase: PROJECT_PHASE, jurisdiction: group.township, caseLabel: groupLabel(project, group) }, groupWatchRule('notice-posting', group), ctx.now, calendar),
  );
  const watches = [plan, ...postings];
  const hukou = inboxEvent({
    id: deps.newId(ctx.now.getTime()),
    projectId,
    addressee: 'public-security',
    kind: 'hukou-changes-suspended',
    at: ctx.now,
    title: `暂停办理户籍异动：${project.name}`,
    text: `征收土地通告已发布，请自即日起暂停办理下列被征收村民小组的户籍迁入、分户等异动，并在系统中确认（方案§三(七)）：${project.villageGroups
      .map((g) => `${g.village}${g.name}`)
      .join('、')}。`,
    jurisdictions: jurisdictionsOf(project),
    data: { villageGroups: project.villageGroups, since: ctx.now.toISOString() },
  });
  await deps.uow.commit(
    [
      deps.documents.save(projectId, 'notice', notice, existing.version),
      ...watches.map((w): Change => deps.watches.save(w, 'absent')),
      deps.inbox.add(hukou),
    ],
    [
      auditOf(ctx, 'notice.publish', { type: 'notice', id: projectId, projectId }, {
        planDueAt: plan.dueAt,
        postingDueAt: postings[0]?.dueAt,
        villageGroups: postings.length,
      }),
    ],
  );
  await startWatching(deps.scheduler, projectId, PROJECT_PHASE, watches, ctx.now);
  return { notice, deadlines: watches };
}

/**
 * Public security acknowledges that it has suspended hukou changes in the project's groups: who
 * and when are recorded, and the land bureau is told. Once per project, after publication.
 */
export async function acknowledgeHukouSuspension(deps: NoticesDeps, projectId: string, ctx: ActionContext): Promise<HukouSuspension> {
  const project = await deps.projects.get(projectId);
  // The suspension covers every group of the project: a police office covering the whole district.
  authorize(ctx.actor, 'hukou-suspension.acknowledge', [project.district]);
  const notice = await deps.documents.find(projectId, 'notice');
  if (notice?.status !== 'published') {
    throw new RuleViolationError('hukou-suspension.notice-not-published', '征收土地通告尚未发布，无需暂停办理户籍异动');
  }
  const suspension: HukouSuspension = { projectId, acknowledgedAt: ctx.now.toISOString(), acknowledgedBy: ctx.actor };
  const told = inboxEvent({
    id: deps.newId(ctx.now.getTime()),
    projectId,
    addressee: 'land-bureau',
    kind: 'hukou-suspension-acknowledged',
    at: ctx.now,
    title: `公安已暂停办理户籍异动：${project.name}`,
    text: `公安机关已确认自 ${formatBeijing(ctx.now)} 起暂停办理被征收村民小组的户籍异动，至被征收户全部结清后恢复（方案§三(七)）。`,
    jurisdictions: jurisdictionsOf(project),
    data: { acknowledgedAt: suspension.acknowledgedAt, acknowledgedBy: { agency: ctx.actor.agency, user: ctx.actor.user, jurisdiction: ctx.actor.jurisdiction } },
  });
  await deps.uow.commit(
    [
      deps.hukou.add(suspension, new ConflictError('hukou-suspension.already-acknowledged', '公安机关已确认暂停办理户籍异动，不能重复确认')),
      deps.inbox.add(told),
    ],
    [auditOf(ctx, 'hukou-suspension.acknowledge', { type: 'hukou-suspension', id: projectId, projectId })],
  );
  return suspension;
}

/**
 * Public security resumes hukou changes in the project's groups (seed §三(七)): its own act, once,
 * after it suspended them and only when every household counted has signed and been paid in full
 * (checked from the project's counters, which signing and the bank's settlements keep).
 */
export async function resumeHukouChanges(deps: NoticesDeps, projectId: string, ctx: ActionContext): Promise<HukouResumption> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'hukou-changes.resume', [project.district]);
  const [suspension, households, signed, paid] = await Promise.all([
    deps.hukou.find(projectId),
    deps.counters.read(projectId, 'households'),
    deps.counters.read(projectId, 'households-signed'),
    deps.counters.read(projectId, 'households-paid'),
  ]);
  if (!suspension) throw new RuleViolationError('hukou-resumption.not-suspended', '公安机关尚未确认暂停办理户籍异动，无从恢复');
  if (!everyHouseholdSigned(households, signed) || !everyHouseholdPaid(households, paid)) {
    throw new RuleViolationError('hukou-resumption.not-settled', `被征收户尚未全部结清：共 ${households} 户，已签订协议 ${signed} 户，补偿款已足额支付 ${paid} 户；全部结清后方可恢复办理户籍异动（方案§三(七)）`, { households, signed, paid });
  }
  const resumption: HukouResumption = { projectId, resumedAt: ctx.now.toISOString(), resumedBy: ctx.actor, households };
  await deps.uow.commit(
    [deps.hukou.addResumption(resumption, new ConflictError('hukou-resumption.already-resumed', '公安机关已恢复办理户籍异动，不能重复登记'))],
    [auditOf(ctx, 'hukou-changes.resume', { type: 'hukou-suspension', id: projectId, projectId }, { households })],
  );
  return resumption;
}

export async function requestEvidenceUpload(
  deps: NoticesDeps,
  projectId: string,
  input: { document: PostedDocument; villageGroupId: string; contentType: string; fileName: string; size: number; sha256: string },
  ctx: ActionContext,
): Promise<UploadInstructions> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'posting.record', jurisdictionsOf(project));
  villageGroupFor(project, input.villageGroupId, ctx.actor);
  await requirePublished(deps, projectId, input.document);
  const uploadId = deps.newId(ctx.now.getTime());
  const key = evidenceKey(projectId, input.document, input.villageGroupId, uploadId);
  const { slot, instructions } = await openUploadSlot(deps.evidence, { uploadId, key, fileName: input.fileName, declared: input }, ctx);
  const upload: EvidenceUpload = { ...slot, projectId, document: input.document, villageGroupId: input.villageGroupId };
  await deps.uow.commit(
    [deps.uploads.save(upload, 'absent')],
    [auditOf(ctx, 'evidence.upload-requested', { type: 'evidence', id: key, projectId }, { ...slot.declared })],
  );
  return instructions;
}

export type PostingInput = {
  document: PostedDocument;
  villageGroupId: string;
  uploadIds: string[];
  postedAt: string;
  place: { description: string; latitude?: number | undefined; longitude?: number | undefined };
};

/**
 * Records a posting. Every evidence file is inspected in the bucket here (size, type and the SHA-256
 * S3 checked on upload); a posting without verified evidence is refused. The first verified posting
 * of the notice in a village group meets the township's posting deadline for it and starts the
 * group's registration window from the time of posting (decision 0015).
 */
export async function recordPosting(
  deps: NoticesDeps,
  projectId: string,
  input: PostingInput,
  ctx: ActionContext,
): Promise<Posting & { registrationWindow?: DeadlineWatch }> {
  // The posting deadline may change under us (the workflow records an alert or its callback): retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await recordPostingOnce(deps, projectId, input, ctx);
    } catch (error) {
      if (!(error instanceof WatchChangedError) || attempt >= 3) throw error;
    }
  }
}

async function recordPostingOnce(deps: NoticesDeps, projectId: string, input: PostingInput, ctx: ActionContext): Promise<Posting & { registrationWindow?: DeadlineWatch }> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'posting.record', jurisdictionsOf(project));
  const group = villageGroupFor(project, input.villageGroupId, ctx.actor);
  const published = await requirePublished(deps, projectId, input.document);
  checkPostedAt(new Date(input.postedAt), published.publishedAt, ctx.now);
  if (new Set(input.uploadIds).size !== input.uploadIds.length) {
    throw new ValidationError('posting.duplicate-upload', '同一证据不能重复提交');
  }
  const uploads = await Promise.all(
    input.uploadIds.map(async (id) => {
      const upload = await deps.uploads.find(projectId, id);
      if (!upload) throw new NotFoundError('evidence.upload-not-found', `证据上传不存在：${id}`);
      return upload;
    }),
  );
  const postingId = deps.newId(ctx.now.getTime());
  const evidence = await Promise.all(
    uploads.map(async (upload) => {
      checkUploadUsable(upload, input, ctx.actor);
      const found = await verifyEvidence(deps.evidence, upload.key, upload.declared);
      return { key: upload.key, ...found, uploadedBy: upload.requestedBy, verifiedAt: ctx.now.toISOString() };
    }),
  );
  const place = {
    description: input.place.description,
    ...(input.place.latitude !== undefined ? { latitude: input.place.latitude } : {}),
    ...(input.place.longitude !== undefined ? { longitude: input.place.longitude } : {}),
  };
  const posting: Posting = {
    postingId,
    projectId,
    document: input.document,
    villageGroupId: group.id,
    township: group.township,
    postedAt: new Date(input.postedAt).toISOString(),
    place,
    evidence,
    recordedBy: ctx.actor,
    recordedAt: ctx.now.toISOString(),
  };
  const clocks = input.document === 'notice' ? await noticePostingClocks(deps, project, group, published.registrationPeriod, new Date(posting.postedAt), ctx) : undefined;
  await deps.uow.commit(
    [
      deps.postings.add(posting),
      ...uploads.map(({ version, ...upload }): Change => deps.uploads.save({ ...upload, usedBy: postingId }, version)),
      ...(clocks?.changes ?? []),
    ],
    [
      auditOf(ctx, 'posting.record', { type: 'posting', id: postingId, projectId }, {
        document: input.document,
        villageGroupId: group.id,
        evidence: evidence.map((e) => ({ key: e.key, sha256: e.sha256, size: e.size })),
        ...(clocks?.opened ? { registrationClosesAt: clocks.window.dueAt } : {}),
        ...(clocks?.met ? { postingDeadline: clocks.met.status } : {}),
      }),
    ],
  );
  if (clocks?.opened) await startWatching(deps.scheduler, projectId, registrationPhase(group.id), [clocks.window], ctx.now);
  if (clocks?.release && clocks.met) {
    try {
      await deps.scheduler.release(clocks.release, clocks.met);
    } catch (error) {
      // The deadline is already recorded as met; the waiting workflow finds that when reconciled.
      log.error('releasing the posting watch failed', { projectId, villageGroupId: group.id, error: String(error) });
    }
  }
  return { ...posting, ...(clocks ? { registrationWindow: clocks.window } : {}) };
}

/**
 * What a verified notice posting does to the group's clocks: meets the township's posting deadline
 * (at the time of posting; late if it had passed) and, the first time, opens the group's
 * registration window with the period the notice sets. A later posting in the same group (a torn
 * notice posted again) leaves both as they are.
 */
async function noticePostingClocks(deps: NoticesDeps, project: Project, group: VillageGroup, registrationPeriod: string | undefined, postedAt: Date, ctx: ActionContext) {
  const projectId = project.id;
  const [deadline, existing] = await Promise.all([
    deps.watches.find(projectId, perGroupRuleId('notice-posting', group.id)),
    deps.watches.find(projectId, perGroupRuleId('registration-window', group.id)),
  ]);
  const changes: Change[] = [];
  let met: DeadlineWatch | undefined;
  if (deadline && deadline.watch.status !== 'met' && deadline.watch.status !== 'met-late') {
    met = meetWatch(deadline.watch, postedAt, ctx.actor.user);
    changes.push(deps.watches.save(met, deadline.version, { onConflict: new WatchChangedError() }));
  }
  if (existing) return { changes, met, release: met && deadline?.waiting, window: existing.watch, opened: false };
  if (!registrationPeriod) throw new Error(`notice of ${projectId} has no registration period`);
  const window = openWatch(
    { caseId: projectId, phase: registrationPhase(group.id), jurisdiction: group.township, caseLabel: groupLabel(project, group) },
    groupWatchRule('registration-window', group, { period: registrationPeriod }),
    postedAt,
    await deps.calendar(),
  );
  changes.push(deps.watches.save(window, 'absent', { onConflict: new WatchChangedError() }));
  return { changes, met, release: met && deadline?.waiting, window, opened: true };
}

class WatchChangedError extends ConflictError {
  constructor() {
    super('conflict.concurrent-change', '期限记录已被更新，请重试');
  }
}

/**
 * The project's postings, village group by group (in the project's order) and by time of posting,
 * each evidence file with a short-lived download URL (a console shows it): what any agency that
 * reads the project may see of the proof that the documents were posted. Audited.
 */
export async function projectPostings(deps: NoticesDeps, projectId: string, ctx: ActionContext) {
  const { version: _version, ...project } = await deps.projects.get(projectId);
  authorize(ctx.actor, 'project.read', jurisdictionsOf(project));
  const order = new Map(project.villageGroups.map((g, i) => [g.id, i]));
  const postings = (await deps.postings.ofProject(projectId)).sort(
    (a, b) => (order.get(a.villageGroupId) ?? 0) - (order.get(b.villageGroupId) ?? 0) || a.postedAt.localeCompare(b.postedAt) || a.postingId.localeCompare(b.postingId),
  );
  await auditRead(deps.uow, ctx, 'posting.read', { type: 'project', id: projectId, projectId }, { count: postings.length });
  const items = await Promise.all(
    postings.map(async (posting) => {
      const group = project.villageGroups.find((g) => g.id === posting.villageGroupId);
      const evidence = await Promise.all(
        posting.evidence.map(async (e) => ({
          contentType: e.contentType,
          sha256: e.sha256,
          size: e.size,
          verifiedAt: e.verifiedAt,
          url: await deps.evidence.presignDownload(e.key, DOWNLOAD_URL_TTL_SECONDS, ctx.now),
        })),
      );
      return {
        postingId: posting.postingId,
        document: posting.document,
        villageGroupId: posting.villageGroupId,
        ...(group ? { villageGroup: `${group.village}${group.name}` } : {}),
        township: posting.township,
        postedAt: posting.postedAt,
        postedAtBeijing: formatBeijing(posting.postedAt),
        place: posting.place,
        recordedBy: posting.recordedBy,
        recordedAt: posting.recordedAt,
        evidence,
      };
    }),
  );
  return { projectId, urlsExpireAt: new Date(ctx.now.getTime() + DOWNLOAD_URL_TTL_SECONDS * 1000).toISOString(), items };
}

/** Events addressed to the caller's agency, in its jurisdiction (e.g. public security's hukou holds). */
export async function readInbox(deps: NoticesDeps, page: { limit: number; cursor?: string | undefined }, ctx: ActionContext): Promise<{ items: InboxEvent[]; cursor?: string }> {
  authorize(ctx.actor, 'inbox.read', [ctx.actor.jurisdiction]);
  const found = await deps.inbox.page(ctx.actor.agency, page);
  const items = found.items.filter((event) => visibleTo(event, ctx.actor));
  await auditRead(deps.uow, ctx, 'inbox.read', { type: 'inbox', id: ctx.actor.agency }, { count: items.length });
  return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
}

async function startWatching(scheduler: WatchScheduler, projectId: string, phase: string, watches: DeadlineWatch[], now: Date): Promise<void> {
  try {
    await scheduler.watch(projectId, phase, watches, now);
  } catch (error) {
    // The watches are recorded; reconcile starts the workflow if this start did not happen.
    log.error('workflow start failed; reconcile will retry', { projectId, phase, error: String(error) });
  }
}

function checkRegistrationPeriod(period: string): void {
  if (!/^[1-9]\d{0,2}(d|wd)$/.test(period)) {
    throw new ValidationError('notice.registration-period', '补偿登记期限须为天数（如 30d）或工作日数（如 20wd）');
  }
}

async function requireNotice(deps: Pick<NoticesDeps, 'documents'>, projectId: string): Promise<Versioned<Notice>> {
  const notice = await deps.documents.find<Notice>(projectId, 'notice');
  if (!notice) throw new NotFoundError('notice.not-found', '该项目尚未拟定征收土地通告');
  return notice;
}

async function requirePublished(deps: Pick<NoticesDeps, 'documents'>, projectId: string, document: PostedDocument): Promise<{ publishedAt: string; registrationPeriod?: string }> {
  const record = await deps.documents.find<Notice>(projectId, document);
  if (record?.status !== 'published' || !record.publishedAt) {
    const name = document === 'notice' ? '征收土地通告' : '征地补偿安置实施方案';
    throw new RuleViolationError('posting.document-not-published', `${name}尚未发布，不能登记张贴`);
  }
  return { publishedAt: record.publishedAt, ...(document === 'notice' ? { registrationPeriod: record.registrationPeriod } : {}) };
}

export async function getProjectNotice(deps: NoticesDeps, projectId: string, ctx: ActionContext): Promise<Notice> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'project.read', jurisdictionsOf(project));
  const notice = withoutVersion(await requireNotice(deps, projectId));
  await auditRead(deps.uow, ctx, 'notice.read', { type: 'notice', id: projectId, projectId });
  return notice;
}
