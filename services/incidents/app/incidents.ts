import { CITY, covers, type AgencyId } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { Change, HouseholdCardRepository, InboxRepository, Page, PageRequest, ProjectRepository, UnitOfWork, WatchRepository } from '../../../shared/cases/ports.ts';
import { jurisdictionsOf } from '../../../shared/cases/project.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import { computeRuleDeadline, formatBeijing, type HolidayCalendar } from '../../../shared/calendar/index.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { isLive, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { requestUploadSlot, useVerifiedUploads, type EvidenceRecord, type EvidenceStore, type UploadInstructions, type UploadRequest } from '../../../shared/evidence/evidence.ts';
import { ConflictError, ValidationError } from '../../../shared/errors.ts';
import { inboxEvent, type InboxEvent } from '../../../shared/inbox.ts';
import { authorize, authorizeAgency, type Action } from '../../../shared/permissions.ts';
import { reviseCriteria, type IncidentClass, type IncidentCriteria } from '../domain/criteria.ts';
import {
  addSceneEvidence,
  CLASS_ZH,
  closeIncident,
  needsLeaderOnSite,
  recordFirstResponse,
  recordLeaderOnSite,
  referViolence,
  reclassify,
  reportIncident,
  type Incident,
  type Place,
  type ReportInput,
} from '../domain/incident.ts';
import { checkUploadUsable, incidentUploadKey, UPLOAD_PURPOSES, type UploadPurpose } from '../domain/uploads.ts';
import { applyOnSiteSync, incidentLabel, syncOnSiteClock } from './on-site-clock.ts';
import type { IncidentCriteriaRepository, IncidentRepository, IncidentUploadRepository } from './ports.ts';

export interface IncidentDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  householdCards: HouseholdCardRepository;
  inbox: InboxRepository;
  watches: WatchRepository;
  scheduler: WatchScheduler;
  incidents: IncidentRepository;
  uploads: IncidentUploadRepository;
  criteria: IncidentCriteriaRepository;
  evidence: EvidenceStore;
  calendar: () => Promise<HolidayCalendar>;
  newId: (nowMs: number) => string;
}

const target = (incident: Pick<Incident, 'incidentId' | 'projectId'>) => ({ type: 'incident', id: incident.incidentId, projectId: incident.projectId });

// ---- criteria ----

export async function reviseIncidentCriteria(deps: IncidentDeps, input: { criteria: IncidentCriteria['criteria'] }, ctx: ActionContext): Promise<IncidentCriteria> {
  authorize(ctx.actor, 'incident.criteria', [CITY.id]);
  const current = await deps.criteria.current();
  const next = reviseCriteria(current && withoutVersion(current), input.criteria, ctx.actor, ctx.now);
  await deps.uow.commit(deps.criteria.save(next, current?.version ?? 'absent'), [
    auditOf(ctx, 'incident.criteria', { type: 'incident-criteria', id: String(next.revision) }, { criteria: next.criteria.map((c) => c.id) }),
  ]);
  return next;
}

/** The criteria in force (revision 0 and none: the leading group office has not set them yet). */
export async function readIncidentCriteria(deps: IncidentDeps, ctx: ActionContext): Promise<IncidentCriteria | { revision: 0; criteria: [] }> {
  authorizeAgency(ctx.actor, 'incident.read');
  const current = await deps.criteria.current();
  return current ? withoutVersion(current) : { revision: 0, criteria: [] };
}

// ---- the incident ----

export interface ReportRequest extends Omit<ReportInput, 'township'> {
  /** Where it happened; a township reports in its own jurisdiction and may leave it out. */
  township?: string | undefined;
}

/**
 * A township (or the district's headquarters) reports an incident at once. The 2-hour clock of a
 * larger or major incident runs from this instant; a major one asks the leading group office for an
 * ad hoc joint meeting. The district government (the headquarters) hears of every report.
 */
export async function reportProjectIncident(deps: IncidentDeps, projectId: string, input: ReportRequest, ctx: ActionContext) {
  authorizeAgency(ctx.actor, 'incident.report');
  const { version: _v, ...project } = await deps.projects.get(projectId);
  authorize(ctx.actor, 'incident.report', jurisdictionsOf(project));
  const township = input.township ?? ctx.actor.jurisdiction;
  const townships = jurisdictionsOf(project).filter((j) => j !== project.district);
  if (!townships.includes(township)) throw new ValidationError('incident.township-unknown', `事件所在乡镇（街道）须为本项目涉及的乡镇（街道）之一：${townships.join('、')}`);
  authorize(ctx.actor, 'incident.report', [township]);
  await checkHouseholds(deps, project.id, input.householdIds);
  const criteria = await deps.criteria.current();
  const incident = reportIncident(deps.newId(ctx.now.getTime()), project, { ...input, township }, criteria, ctx.actor, ctx.now);
  const onSiteBy = needsLeaderOnSite(incident.class) ? computeRuleDeadline('emergency-on-site', incident.reportedAt, await deps.calendar()).deadline.dueAt : undefined;
  const events = [
    reportedEvent(deps, incident, 'district-government', onSiteBy, ctx.now),
    ...(onSiteBy ? [reportedEvent(deps, incident, 'leading-group-office', onSiteBy, ctx.now)] : []),
  ];
  return change(deps, incident, 'absent', ctx, { action: 'incident.report', audit: { class: incident.class, occurredAt: incident.occurredAt }, events });
}

async function checkHouseholds(deps: IncidentDeps, projectId: string, householdIds: readonly string[]): Promise<void> {
  for (const householdId of householdIds) {
    const card = await deps.householdCards.find(householdId);
    if (card?.projectId !== projectId) throw new ValidationError('incident.household-unknown', `本项目没有被征收户 ${householdId}`);
  }
}

/** The incident for an action: the agency's duty first, then the incident's place (its district and township). */
async function load(deps: IncidentDeps, incidentId: string, action: Action, ctx: ActionContext) {
  authorizeAgency(ctx.actor, action);
  const { version, ...incident } = await deps.incidents.get(incidentId);
  authorize(ctx.actor, action, [incident.district, incident.township]);
  return { incident: incident as Incident, version };
}

interface Effects {
  action: Action;
  audit?: Record<string, unknown>;
  changes?: Change[];
  events?: InboxEvent[];
  cancelReason?: string;
}

/**
 * One act on the incident: the record, the uploads it used, its 2-hour clock and the inbox events
 * commit with the audit record in one transaction; the workflow hears of it after the commit.
 */
async function change(deps: IncidentDeps, next: Incident, expected: number | 'absent', ctx: ActionContext, effects: Effects) {
  const calendar = await deps.calendar();
  const sync = await syncOnSiteClock(deps, next, ctx.actor, ctx.now, calendar, effects.cancelReason ?? '事件级别调整');
  await deps.uow.commit(
    [deps.incidents.save(next, expected), ...(effects.changes ?? []), ...sync.changes, ...(effects.events ?? []).map((e) => deps.inbox.add(e))],
    [auditOf(ctx, effects.action, target(next), { ...effects.audit, ...(sync.opened ? { onSiteDueAt: sync.opened.dueAt } : {}) })],
  );
  await applyOnSiteSync(deps.scheduler, next.incidentId, sync, ctx.now);
  return incidentView(deps, next, ctx, sync.watches);
}

async function act(deps: IncidentDeps, incidentId: string, ctx: ActionContext, action: Action, step: (incident: Incident) => Promise<Omit<Effects, 'action'> & { next: Incident }>) {
  const { incident, version } = await load(deps, incidentId, action, ctx);
  const { next, ...effects } = await step(incident);
  return change(deps, next, version, ctx, { ...effects, action });
}

async function uploads(deps: IncidentDeps, incident: Incident, purpose: UploadPurpose, uploadIds: readonly string[], usedBy: string, ctx: ActionContext): Promise<{ evidence: EvidenceRecord[]; changes: Change[] }> {
  const slots = {
    find: (id: string) => deps.uploads.find(incident.incidentId, id),
    check: (upload: Parameters<typeof checkUploadUsable>[0]) => checkUploadUsable(upload, { incidentId: incident.incidentId, purpose }, ctx.actor),
    use: (upload: Parameters<typeof checkUploadUsable>[0], by: string, version: number): Change => deps.uploads.save({ ...upload, usedBy: by }, version),
  };
  return useVerifiedUploads(deps.evidence, slots, uploadIds, usedBy, ctx.now);
}

/** A presigned slot for one photo or video of the incident; who may ask depends on what it is for. */
export async function requestIncidentUpload(deps: IncidentDeps, incidentId: string, input: UploadRequest<UploadPurpose>, ctx: ActionContext): Promise<UploadInstructions> {
  const rule = UPLOAD_PURPOSES[input.purpose];
  const { incident } = await load(deps, incidentId, rule.action, ctx);
  if (incident.status === 'closed') throw new ConflictError('incident.closed', `事件 ${incident.incidentId} 已结案`);
  return requestUploadSlot(deps, input, {
    rule,
    keyOf: (uploadId) => incidentUploadKey(incident.projectId, incident.incidentId, input.purpose, uploadId),
    save: (slot) => deps.uploads.save({ ...slot, incidentId: incident.incidentId, projectId: incident.projectId, purpose: input.purpose }, 'absent'),
    target: target(incident),
  }, ctx);
}

export function addIncidentEvidence(deps: IncidentDeps, incidentId: string, input: { uploadIds: string[] }, ctx: ActionContext) {
  return act(deps, incidentId, ctx, 'incident.report', async (incident) => {
    const used = await uploads(deps, incident, 'scene', input.uploadIds, `incident:${incidentId}:scene`, ctx);
    return { next: addSceneEvidence(incident, used.evidence, ctx.now), changes: used.changes, audit: { evidence: used.evidence.map((e) => e.sha256) } };
  });
}

export function recordIncidentFirstResponse(deps: IncidentDeps, incidentId: string, input: { actions: string; at: string; uploadIds: string[] }, ctx: ActionContext) {
  return act(deps, incidentId, ctx, 'incident.report', async (incident) => {
    const used = await uploads(deps, incident, 'first-response', input.uploadIds, `incident:${incidentId}:first-response`, ctx);
    return { next: recordFirstResponse(incident, input, used.evidence, ctx.actor, ctx.now), changes: used.changes, audit: { at: input.at } };
  });
}

/** A new class with its reason, on the leading group office's criteria; the headquarters and the office hear of it. */
export function classifyIncident(deps: IncidentDeps, incidentId: string, input: { class: IncidentClass; criterionId?: string | undefined; reason: string }, ctx: ActionContext) {
  return act(deps, incidentId, ctx, 'incident.classify', async (incident) => {
    const criteria = await deps.criteria.current();
    const next = reclassify(incident, input, criteria, ctx.actor, ctx.now);
    const events = (['district-government', 'leading-group-office'] as const).map((addressee) => classifiedEvent(deps, incident, next, addressee, ctx.now));
    return { next, events, audit: { from: incident.class, to: next.class, reason: input.reason }, cancelReason: `领导小组办公室将事件调整为${CLASS_ZH[next.class]}：${input.reason}` };
  });
}

export interface OnSiteRequest {
  leaderName: string;
  leaderTitle: string;
  arrivedAt: string;
  location: Place;
  uploadIds: string[];
}

/** The district leader recorded on site, with place and photo: the 2-hour clock is met (or met late). */
export function recordIncidentLeaderOnSite(deps: IncidentDeps, incidentId: string, input: OnSiteRequest, ctx: ActionContext) {
  return act(deps, incidentId, ctx, 'incident.on-site', async (incident) => {
    const used = await uploads(deps, incident, 'leader-on-site', input.uploadIds, `incident:${incidentId}:leader-on-site`, ctx);
    const { uploadIds: _ids, ...arrival } = input;
    const next = recordLeaderOnSite(incident, arrival, used.evidence, ctx.actor, ctx.now);
    const watch = await liveOnSiteWatch(deps, incident);
    const late = watch !== undefined && Date.parse(next.leaderOnSite!.arrivedAt) >= Date.parse(watch.dueAt);
    return { next, changes: used.changes, events: [onSiteEvent(deps, next, watch, late, ctx.now)], audit: { arrivedAt: next.leaderOnSite!.arrivedAt, late } };
  });
}

async function liveOnSiteWatch(deps: IncidentDeps, incident: Incident): Promise<DeadlineWatch | undefined> {
  return (await deps.watches.ofCase(incident.incidentId)).find(isLive);
}

/** Violent resistance: public security and the procuratorate each get a task in their inbox. */
export function referIncidentViolence(deps: IncidentDeps, incidentId: string, input: { description: string }, ctx: ActionContext) {
  return act(deps, incidentId, ctx, 'incident.refer', async (incident) => {
    const next = referViolence(incident, input.description, ctx.actor, ctx.now);
    return { next, events: next.referrals.map((r) => referredEvent(deps, next, r.agency, r.task, input.description, ctx.now)), audit: { referredTo: next.referrals.map((r) => r.agency) } };
  });
}

export function closeProjectIncident(deps: IncidentDeps, incidentId: string, input: { outcome: string }, ctx: ActionContext) {
  return act(deps, incidentId, ctx, 'incident.close', async (incident) => {
    const watch = await liveOnSiteWatch(deps, incident);
    const next = closeIncident(incident, input.outcome, watch?.dueAt, ctx.actor, ctx.now);
    return { next, audit: { outcome: input.outcome }, cancelReason: `事件已处置结案：${input.outcome}` };
  });
}

export async function readIncident(deps: IncidentDeps, incidentId: string, ctx: ActionContext) {
  const { incident } = await load(deps, incidentId, 'incident.read', ctx);
  await auditRead(deps.uow, ctx, 'incident.read', target(incident));
  return incidentView(deps, incident, ctx);
}

/** The project's incidents a page at a time; a township sees those in its own jurisdiction. */
export async function listProjectIncidents(deps: IncidentDeps, projectId: string, page: PageRequest, ctx: ActionContext): Promise<Page<Incident>> {
  authorizeAgency(ctx.actor, 'incident.read');
  const { version: _v, ...project } = await deps.projects.get(projectId);
  authorize(ctx.actor, 'incident.read', jurisdictionsOf(project));
  const found = await deps.incidents.ofProject(projectId, page);
  const items = found.items.filter((i) => covers(ctx.actor.jurisdiction, i.district) || covers(ctx.actor.jurisdiction, i.township));
  await auditRead(deps.uow, ctx, 'incident.list', { type: 'project', id: projectId, projectId }, { count: items.length });
  return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
}

/** The record with its 2-hour clocks as the watches keep them (due instant in Beijing time). */
async function incidentView(deps: IncidentDeps, incident: Incident, ctx: ActionContext, watches?: DeadlineWatch[]) {
  const clocks = (watches ?? (await deps.watches.ofCase(incident.incidentId))).map((w) => ({
    key: w.ruleId,
    triggeredAt: w.triggeredAt,
    dueAt: w.dueAt,
    dueAtBeijing: formatBeijing(w.dueAt),
    status: w.status,
    responsibleAgency: w.responsibleAgency,
    ...(w.metAt ? { metAt: w.metAt } : {}),
    ...(w.alertedAt ? { alertedAt: w.alertedAt } : {}),
    ...(w.cancelReason ? { cancelReason: w.cancelReason } : {}),
  }));
  return { ...incident, clocks, now: ctx.now.toISOString() };
}

// ---- inbox events ----

const where = (incident: Incident) => [incident.district, incident.township];
const base = (incident: Incident) => ({ incidentId: incident.incidentId, class: incident.class, summary: incident.summary, address: incident.location.address });

function reportedEvent(deps: IncidentDeps, incident: Incident, addressee: AgencyId, onSiteBy: string | undefined, now: Date): InboxEvent {
  const due = onSiteBy ? `区主要负责人须于 ${formatBeijing(onSiteBy)} 前赶赴现场处置（§五(三)）。` : '';
  const meeting = incident.class === 'major' ? '重大事件，请领导小组办公室召开联席会议研究解决。' : '';
  return inboxEvent({
    id: deps.newId(now.getTime()),
    at: now,
    projectId: incident.projectId,
    addressee,
    kind: 'incident-reported',
    title: `${CLASS_ZH[incident.class]}报告：${incident.location.address}`,
    text: `${formatBeijing(incident.occurredAt)} 于 ${incident.location.address} 发生突发事件（${incident.summary}），涉及约 ${incident.people.count} 人。${due}${meeting}`,
    jurisdictions: where(incident),
    data: { ...base(incident), occurredAt: incident.occurredAt, reportedAt: incident.reportedAt, township: incident.township, peopleCount: incident.people.count, ...(onSiteBy ? { onSiteBy } : {}) },
  });
}

function classifiedEvent(deps: IncidentDeps, before: Incident, after: Incident, addressee: AgencyId, now: Date): InboxEvent {
  const entry = after.classifications.at(-1)!;
  return inboxEvent({
    id: deps.newId(now.getTime()),
    at: now,
    projectId: after.projectId,
    addressee,
    kind: 'incident-classified',
    title: `突发事件 ${incidentLabel(after)} 调整为${CLASS_ZH[after.class]}`,
    text: `由${CLASS_ZH[before.class]}调整为${CLASS_ZH[after.class]}，理由：${entry.reason}。${after.class === 'major' ? '请领导小组办公室召开联席会议研究解决。' : ''}`,
    jurisdictions: where(after),
    data: { ...base(after), from: before.class, reason: entry.reason, ...(entry.criterionId ? { criterionId: entry.criterionId } : {}) },
  });
}

function onSiteEvent(deps: IncidentDeps, incident: Incident, watch: DeadlineWatch | undefined, late: boolean, now: Date): InboxEvent {
  const arrival = incident.leaderOnSite!;
  const timing = watch ? (late ? `，晚于时限（${formatBeijing(watch.dueAt)}）` : `，在时限（${formatBeijing(watch.dueAt)}）内`) : '';
  return inboxEvent({
    id: deps.newId(now.getTime()),
    at: now,
    projectId: incident.projectId,
    addressee: 'leading-group-office',
    kind: 'leader-on-site',
    title: `${arrival.leaderTitle}${arrival.leaderName}已到场：${incident.location.address}`,
    text: `${arrival.leaderTitle}${arrival.leaderName}于 ${formatBeijing(arrival.arrivedAt)} 到达 ${arrival.location.address} 处置${timing}。`,
    jurisdictions: where(incident),
    data: { ...base(incident), leaderName: arrival.leaderName, leaderTitle: arrival.leaderTitle, arrivedAt: arrival.arrivedAt, late, ...(watch ? { dueAt: watch.dueAt } : {}), evidence: arrival.evidence.map((e) => e.sha256) },
  });
}

function referredEvent(deps: IncidentDeps, incident: Incident, addressee: 'public-security' | 'procuratorate', task: string, description: string, now: Date): InboxEvent {
  return inboxEvent({
    id: deps.newId(now.getTime()),
    at: now,
    projectId: incident.projectId,
    addressee,
    kind: 'incident-referred',
    title: `暴力抗拆移送：${incident.location.address}`,
    text: `${description}。请${task}。`,
    jurisdictions: where(incident),
    data: { ...base(incident), task, description },
  });
}
