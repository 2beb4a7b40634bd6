import { AGENCIES, CITY, covers, findJurisdiction } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { Change, InboxRepository, Page, PageRequest, PlanApprovalRepository, ProjectRepository, UnitOfWork, WatchRepository } from '../../../shared/cases/ports.ts';
import { formatBeijing, type HolidayCalendar } from '../../../shared/calendar/index.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { watchRule } from '../../../shared/deadlines/watch-rules.ts';
import { cancelWatch, isLive, meetWatch, openMonthlyWatch, openWatch, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { requestUploadSlot, useVerifiedUploads, type EvidenceStore, type UploadInstructions, type UploadRequest } from '../../../shared/evidence/evidence.ts';
import { ForbiddenError, ValidationError } from '../../../shared/errors.ts';
import { inboxEvent, type InboxEvent } from '../../../shared/inbox.ts';
import { authorize, authorizeAgency } from '../../../shared/permissions.ts';
import {
  attachMinutes,
  completeResolution,
  decideResolution,
  nextMonth,
  recordMeeting,
  recordResolutionProgress,
  type JointMeeting,
  type MeetingInput,
  type Resolution,
  type ResolutionInput,
} from '../domain/meeting.ts';
import { checkUploadUsable, meetingUploadKey, UPLOAD_PURPOSES, type UploadPurpose } from '../domain/uploads.ts';
import type { MeetingRepository, MeetingUploadRepository, ResolutionRepository } from './ports.ts';

export interface MeetingDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  planApprovals: PlanApprovalRepository;
  inbox: InboxRepository;
  watches: WatchRepository;
  scheduler: WatchScheduler;
  meetings: MeetingRepository;
  resolutions: ResolutionRepository;
  uploads: MeetingUploadRepository;
  evidence: EvidenceStore;
  calendar: () => Promise<HolidayCalendar>;
  newId: (nowMs: number) => string;
}

/** The case the monthly duty's watches live in, one per calendar month (`joint-meeting/2026-11`). */
export const MEETINGS_CASE = 'JOINT-MEETINGS';
export const MEETINGS_PHASE = 'oversight-meetings';
export const RESOLUTIONS_PHASE = 'oversight-resolutions';
/** How many months ahead the monthly duty is watched from the latest meeting: a year without one alerts every month. */
const MONTHS_AHEAD = 12;

const monthKey = (month: string) => `joint-meeting/${month}`;
export const resolutionKey = (resolutionId: string) => `resolution/${resolutionId}`;
const meetingTarget = (meeting: Pick<JointMeeting, 'meetingId'>) => ({ type: 'joint-meeting', id: meeting.meetingId });
const resolutionTarget = (r: Pick<Resolution, 'resolutionId' | 'projectId'>) => ({ type: 'resolution', id: r.resolutionId, ...(r.projectId ? { projectId: r.projectId } : {}) });
const monthLabel = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;

/**
 * The leading group office records a meeting held. The month it was held in has met its duty (a
 * month already missed stays missed: its watch stops, the miss on record); the next twelve months'
 * duties are watched, so a month without a meeting alerts once at its end.
 */
export async function recordJointMeeting(deps: MeetingDeps, input: MeetingInput, ctx: ActionContext) {
  authorize(ctx.actor, 'meeting.record', [CITY.id]);
  for (const projectId of input.projectIds) await deps.projects.get(projectId);
  const meeting = recordMeeting(deps.newId(ctx.now.getTime()), input, ctx.actor, ctx.now);
  const sync = await syncMonthlyDuty(deps, meeting, ctx);
  await deps.uow.commit(
    [deps.meetings.save(meeting, 'absent'), ...sync.changes],
    [auditOf(ctx, 'meeting.record', meetingTarget(meeting), { kind: meeting.kind, heldAt: meeting.heldAt, month: meeting.month, attendees: meeting.attendees.map((a) => a.agency) })],
  );
  for (const { token, watch } of sync.releases) await deps.scheduler.release(token, watch);
  await deps.scheduler.ensure(MEETINGS_CASE, MEETINGS_PHASE, sync.live, ctx.now);
  return meetingView(deps, meeting);
}

async function syncMonthlyDuty(deps: MeetingDeps, meeting: JointMeeting, ctx: ActionContext) {
  const existing = new Map((await deps.watches.ofCase(MEETINGS_CASE)).map((w) => [w.ruleId, w]));
  const rule = watchRule('joint-meeting');
  const changes: Change[] = [];
  const releases: Array<{ token: string; watch: DeadlineWatch }> = [];
  const update = async (next: DeadlineWatch) => {
    const stored = await deps.watches.get(MEETINGS_CASE, next.ruleId);
    changes.push(deps.watches.save(next, stored.version));
    if (stored.waiting) releases.push({ token: stored.waiting, watch: next });
    existing.set(next.ruleId, next);
  };
  const open = (month: string) => {
    const watch = openMonthlyWatch({ caseId: MEETINGS_CASE, caseKind: 'oversight', caseLabel: `${monthLabel(month)}联席会议`, phase: MEETINGS_PHASE, jurisdiction: CITY.id }, { ...rule, id: monthKey(month) }, month);
    existing.set(watch.ruleId, watch);
    return watch;
  };
  // Earlier months still awaiting a meeting were missed: a meeting now does not hold them.
  for (const watch of [...existing.values()]) {
    if (isLive(watch) && watch.ruleId < monthKey(meeting.month)) await update(cancelWatch(watch, ctx.now, `该月未召开联席会议（已记入考核）；其后于${formatBeijing(meeting.heldAt)}召开`));
  }
  const current = existing.get(monthKey(meeting.month));
  if (!current) changes.push(deps.watches.save(meetWatch(open(meeting.month), new Date(meeting.heldAt), ctx.actor.user), 'absent'));
  else if (isLive(current)) await update(meetWatch(current, new Date(meeting.heldAt), ctx.actor.user));
  let month = meeting.month;
  for (let i = 0; i < MONTHS_AHEAD; i++) {
    month = nextMonth(month);
    if (!existing.has(monthKey(month))) changes.push(deps.watches.save(open(month), 'absent'));
  }
  return { changes, releases, live: [...existing.values()].filter(isLive) };
}

export async function requestMeetingUpload(deps: MeetingDeps, meetingId: string, input: UploadRequest<UploadPurpose>, ctx: ActionContext): Promise<UploadInstructions> {
  const rule = UPLOAD_PURPOSES[input.purpose];
  authorize(ctx.actor, rule.action, [CITY.id]);
  const { version: _v, ...meeting } = await deps.meetings.get(meetingId);
  return requestUploadSlot(deps, input, {
    rule,
    keyOf: (uploadId) => meetingUploadKey(meeting.meetingId, input.purpose, uploadId),
    save: (slot) => deps.uploads.save({ ...slot, meetingId: meeting.meetingId, purpose: input.purpose }, 'absent'),
    target: meetingTarget(meeting),
  }, ctx);
}

/** The minutes, as evidence: verified against their declared SHA-256, never replaced. */
export async function recordMeetingMinutes(deps: MeetingDeps, meetingId: string, input: { uploadId: string }, ctx: ActionContext) {
  authorize(ctx.actor, 'meeting.record', [CITY.id]);
  const { version, ...meeting } = await deps.meetings.get(meetingId);
  const slots = {
    find: (id: string) => deps.uploads.find(meetingId, id),
    check: (upload: Parameters<typeof checkUploadUsable>[0]) => checkUploadUsable(upload, { meetingId, purpose: 'minutes' }, ctx.actor),
    use: (upload: Parameters<typeof checkUploadUsable>[0], by: string, v: number): Change => deps.uploads.save({ ...upload, usedBy: by }, v),
  };
  const used = await useVerifiedUploads(deps.evidence, slots, [input.uploadId], `meeting:${meetingId}:minutes`, ctx.now);
  const next = attachMinutes(meeting, used.evidence[0]!, ctx.now);
  await deps.uow.commit([deps.meetings.save(next, version), ...used.changes], [auditOf(ctx, 'meeting.minutes', meetingTarget(next), { sha256: used.evidence[0]!.sha256 })]);
  return meetingView(deps, next);
}

/**
 * A resolution of the meeting. A task binds its owner to a due instant counted on the legal
 * calendar from the meeting (the rule table's `resolution`), watched like any agency deadline; a
 * plan approval publishes the kernel's record that lets the project's plan be published.
 */
export async function recordResolution(deps: MeetingDeps, meetingId: string, input: ResolutionInput, ctx: ActionContext) {
  authorize(ctx.actor, 'meeting.record', [CITY.id]);
  const { version, ...meeting } = await deps.meetings.get(meetingId);
  if (input.projectId) await deps.projects.get(input.projectId);
  const resolutionId = deps.newId(ctx.now.getTime());
  let watch: DeadlineWatch | undefined;
  if (input.kind === 'task') {
    if (!findJurisdiction(input.owner.jurisdiction) || !AGENCIES[input.owner.agency].levels.includes(findJurisdiction(input.owner.jurisdiction)!.level)) {
      throw new ValidationError('resolution.owner-unknown', `承办单位 ${AGENCIES[input.owner.agency].nameZh} 在辖区 ${input.owner.jurisdiction} 不存在`);
    }
    const seq = meeting.resolutionIds.length + 1;
    const rule = { ...watchRule('resolution', { period: input.period }), id: resolutionKey(resolutionId) };
    const on = { caseId: meetingId, caseKind: 'oversight' as const, caseLabel: `${meeting.title}决议第 ${seq} 项`, phase: RESOLUTIONS_PHASE, jurisdiction: input.owner.jurisdiction, ...(input.projectId ? { projectId: input.projectId } : {}) };
    watch = openWatch(on, rule, new Date(meeting.heldAt), await deps.calendar(), { responsible: input.owner });
  }
  const decided = decideResolution(meeting, resolutionId, input, watch && { lastDay: watch.lastDay, dueAt: watch.dueAt }, ctx.actor, ctx.now);
  const { resolution } = decided;
  const changes: Change[] = [deps.meetings.save(decided.meeting, version), ...deps.resolutions.create(resolution)];
  if (watch) changes.push(deps.watches.save(watch, 'absent'), deps.inbox.add(dueEvent(deps, decided.meeting, resolution, ctx.now)));
  if (resolution.kind === 'plan-approval') {
    changes.push(deps.planApprovals.save({ projectId: resolution.projectId!, meetingId, resolutionId, approvedAt: meeting.heldAt, text: resolution.text }));
  }
  await deps.uow.commit(changes, [
    auditOf(ctx, 'meeting.resolution', resolutionTarget(resolution), { meetingId, seq: resolution.seq, kind: resolution.kind, ...(resolution.owner ? { owner: resolution.owner.agency, dueAt: resolution.dueAt } : {}) }),
  ]);
  if (watch) await deps.scheduler.ensure(meetingId, RESOLUTIONS_PHASE, await liveResolutionWatches(deps, meetingId), ctx.now);
  return resolutionView(deps, resolution);
}

async function liveResolutionWatches(deps: MeetingDeps, meetingId: string) {
  return (await deps.watches.ofCase(meetingId)).filter((w) => w.phase === RESOLUTIONS_PHASE && isLive(w));
}

/** Only the owner agency, in its own jurisdiction, reports on its resolution. */
async function ownResolution(deps: MeetingDeps, resolutionId: string, ctx: ActionContext) {
  authorizeAgency(ctx.actor, 'resolution.report');
  const { version, ...resolution } = await deps.resolutions.get(resolutionId);
  const owner = resolution.owner;
  if (!owner || owner.agency !== ctx.actor.agency) throw new ForbiddenError('forbidden.agency', `决议第 ${resolution.seq} 项不由本单位承办`);
  if (!covers(ctx.actor.jurisdiction, owner.jurisdiction)) throw new ForbiddenError('forbidden.jurisdiction', `决议第 ${resolution.seq} 项由其他辖区的${AGENCIES[owner.agency].nameZh}承办`);
  return { resolution: resolution as Resolution, version };
}

export async function reportResolutionProgress(deps: MeetingDeps, resolutionId: string, input: { note: string }, ctx: ActionContext) {
  const { resolution, version } = await ownResolution(deps, resolutionId, ctx);
  const next = recordResolutionProgress(resolution, input.note, ctx.actor, ctx.now);
  await deps.uow.commit([deps.resolutions.save(next, version)], [auditOf(ctx, 'resolution.progress', resolutionTarget(next), { note: input.note })]);
  return resolutionView(deps, next);
}

/** Done: its deadline is met (late if past due, the miss already on record) and the office hears of it. */
export async function completeMeetingResolution(deps: MeetingDeps, resolutionId: string, input: { summary: string }, ctx: ActionContext) {
  const { resolution, version } = await ownResolution(deps, resolutionId, ctx);
  const next = completeResolution(resolution, input.summary, ctx.actor, ctx.now);
  const stored = await deps.watches.get(resolution.meetingId, resolutionKey(resolutionId));
  const met = meetWatch(stored.watch, ctx.now, ctx.actor.user);
  const meeting = await deps.meetings.get(resolution.meetingId);
  await deps.uow.commit(
    [deps.resolutions.save(next, version), deps.watches.save(met, stored.version), deps.inbox.add(doneEvent(deps, meeting, next, ctx.now))],
    [auditOf(ctx, 'resolution.done', resolutionTarget(next), { late: next.done!.late })],
  );
  if (stored.waiting) await deps.scheduler.release(stored.waiting, met);
  return resolutionView(deps, next);
}

export async function readJointMeeting(deps: MeetingDeps, meetingId: string, ctx: ActionContext) {
  authorizeAgency(ctx.actor, 'meeting.read');
  const { version: _v, ...meeting } = await deps.meetings.get(meetingId);
  await auditRead(deps.uow, ctx, 'meeting.read', meetingTarget(meeting));
  return meetingView(deps, meeting);
}

export async function listJointMeetings(deps: MeetingDeps, page: PageRequest, ctx: ActionContext): Promise<Page<JointMeeting>> {
  authorizeAgency(ctx.actor, 'meeting.read');
  const found = await deps.meetings.page(page);
  await auditRead(deps.uow, ctx, 'meeting.list', { type: 'joint-meetings', id: 'all' }, { count: found.items.length });
  return found;
}

export async function readResolution(deps: MeetingDeps, resolutionId: string, ctx: ActionContext) {
  authorizeAgency(ctx.actor, 'meeting.read');
  const { version: _v, ...resolution } = await deps.resolutions.get(resolutionId);
  await auditRead(deps.uow, ctx, 'resolution.read', resolutionTarget(resolution));
  return resolutionView(deps, resolution);
}

/** The meeting with its resolutions and the month's duty as its watch keeps it. */
async function meetingView(deps: MeetingDeps, meeting: JointMeeting) {
  const resolutions = await Promise.all((await deps.resolutions.ofMeeting(meeting.meetingId)).map((r) => resolutionView(deps, r)));
  return { ...meeting, resolutions };
}

/** The resolution with its deadline's watch (status, when alerted), due instants in Beijing time. */
async function resolutionView(deps: MeetingDeps, resolution: Resolution) {
  const found = resolution.kind === 'task' ? await deps.watches.find(resolution.meetingId, resolutionKey(resolution.resolutionId)) : undefined;
  const w = found?.watch;
  return {
    ...resolution,
    ...(resolution.dueAt ? { dueAtBeijing: formatBeijing(resolution.dueAt) } : {}),
    ...(w ? { deadline: { status: w.status, dueAt: w.dueAt, ...(w.alertedAt ? { alertedAt: w.alertedAt } : {}), ...(w.metAt ? { metAt: w.metAt } : {}) } } : {}),
  };
}

// ---- inbox events ----

function dueEvent(deps: MeetingDeps, meeting: JointMeeting, resolution: Resolution, now: Date): InboxEvent {
  const owner = resolution.owner!;
  return inboxEvent({
    id: deps.newId(now.getTime()),
    at: now,
    projectId: resolution.projectId ?? meeting.meetingId,
    addressee: owner.agency,
    kind: 'resolution-due',
    title: `联席会议决议第 ${resolution.seq} 项由本单位承办`,
    text: `${meeting.title}（${formatBeijing(meeting.heldAt)}）决议：${resolution.text}。请于 ${formatBeijing(resolution.dueAt!)} 前落实并报告（§四(一)）；逾期计入绩效考核（§四(三)）并予督办（§四(四)）。`,
    jurisdictions: [owner.jurisdiction],
    data: { resolutionId: resolution.resolutionId, meetingId: meeting.meetingId, seq: resolution.seq, text: resolution.text, owner: owner.agency, period: resolution.period!, dueAt: resolution.dueAt!, ...(resolution.projectId ? { subjectProjectId: resolution.projectId } : {}) },
  });
}

function doneEvent(deps: MeetingDeps, meeting: JointMeeting, resolution: Resolution, now: Date): InboxEvent {
  const owner = resolution.owner!;
  const done = resolution.done!;
  return inboxEvent({
    id: deps.newId(now.getTime()),
    at: now,
    projectId: resolution.projectId ?? meeting.meetingId,
    addressee: 'leading-group-office',
    kind: 'resolution-done',
    title: `决议第 ${resolution.seq} 项已落实${done.late ? '（逾期）' : ''}`,
    text: `${AGENCIES[owner.agency].nameZh}报告：${meeting.title}决议第 ${resolution.seq} 项（${resolution.text}）已落实：${done.summary}。时限 ${formatBeijing(resolution.dueAt!)}${done.late ? '，逾期完成' : '，按期完成'}。`,
    jurisdictions: [CITY.id, owner.jurisdiction],
    data: { resolutionId: resolution.resolutionId, meetingId: meeting.meetingId, seq: resolution.seq, owner: owner.agency, dueAt: resolution.dueAt!, doneAt: done.at, late: done.late },
  });
}
