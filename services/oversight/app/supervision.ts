import { AGENCIES, CITY, covers, findJurisdiction, type AgencyId } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { InboxRepository, PerformanceRepository, ProjectRepository, UnitOfWork, WatchRepository } from '../../../shared/cases/ports.ts';
import { formatBeijing, type HolidayCalendar } from '../../../shared/calendar/index.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { watchRule } from '../../../shared/deadlines/watch-rules.ts';
import { isLive, meetWatch, openWatch, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { DOWNLOAD_URL_TTL_SECONDS, type DocumentStore } from '../../../shared/evidence/evidence.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../shared/errors.ts';
import { inboxEvent, type InboxEvent } from '../../../shared/inbox.ts';
import { authorize, authorizeAgency } from '../../../shared/permissions.ts';
import { composeSupervisionReport, type LateResolution, type MissedArrival, type MissedDeadline, type SupervisionFacts } from '../domain/supervision-report.ts';
import { checkReportPeriod, completeAssignment, recordSummons, type Assignment, type SupervisionReportRecord } from '../domain/supervision.ts';
import type { MeetingRepository, ResolutionRepository } from './ports.ts';
import { judgedDeadlines } from './misses.ts';
import type { SupervisionRepository } from './ports.ts';
import type { SupervisionReportRenderer } from './ports.ts';

export interface SupervisionDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  performance: PerformanceRepository;
  watches: WatchRepository;
  scheduler: WatchScheduler;
  inbox: InboxRepository;
  meetings: MeetingRepository;
  resolutions: ResolutionRepository;
  supervision: SupervisionRepository;
  files: DocumentStore;
  reports: SupervisionReportRenderer;
  calendar: () => Promise<HolidayCalendar>;
  newId: (nowMs: number) => string;
}

export const ASSIGNMENTS_PHASE = 'oversight-assignments';
export const assignmentKey = (assignmentId: string) => `assignment/${assignmentId}`;
const PDF = 'application/pdf';

/**
 * The inspection's report: every miss whose due instant fell in the period, from the records —
 * resolutions past due, agency deadlines missed, 2-hour arrivals missed, months without a joint
 * meeting — composed, printed, stored once with its SHA-256, and sent to the city government and
 * the leading group office. Who inspected is who generated it.
 */
export async function issueSupervisionReport(deps: SupervisionDeps, input: { number: string; from: string; to: string }, ctx: ActionContext) {
  authorize(ctx.actor, 'supervision.inspect', [CITY.id]);
  checkReportPeriod(input.from, input.to, ctx.now);
  const [fromMs, toMs] = [Date.parse(input.from), Date.parse(input.to)];
  const { overdue } = await judgedDeadlines(deps, (dueAt) => Date.parse(dueAt) >= fromMs && Date.parse(dueAt) < toMs);
  const resolutions: LateResolution[] = [];
  const missedDeadlines: MissedDeadline[] = [];
  const missedArrivals: MissedArrival[] = [];
  const months = new Set<string>();
  for (const record of overdue) {
    const [kind, id] = record.ruleId.split('/');
    if (kind === 'resolution' && id) {
      const { version: _v, ...resolution } = await deps.resolutions.get(id);
      const meeting = await deps.meetings.get(resolution.meetingId);
      resolutions.push({
        meetingTitle: meeting.title,
        heldAt: meeting.heldAt,
        seq: resolution.seq,
        text: resolution.text,
        owner: resolution.owner!,
        dueAt: resolution.dueAt!,
        status: resolution.status === 'done' ? 'done' : 'open',
        ...(resolution.done ? { doneAt: resolution.done.at } : {}),
      });
    } else if (kind === 'emergency-on-site') {
      const w = record.watch;
      missedArrivals.push({ incidentLabel: w?.caseLabel ?? record.caseId, district: record.jurisdiction, reportedAt: w?.triggeredAt ?? record.dueAt, dueAt: record.dueAt, ...(record.metAt ? { arrivedAt: record.metAt } : {}) });
    } else if (kind === 'joint-meeting' && id) {
      months.add(id);
    } else {
      missedDeadlines.push({ agency: record.agency, jurisdiction: record.jurisdiction, caseLabel: await caseLabelOf(deps, record.caseId, record.watch), step: record.step, dueAt: record.dueAt, ...(record.metAt ? { metAt: record.metAt } : {}), source: record.source });
    }
  }
  const reportId = deps.newId(ctx.now.getTime());
  const generatedAt = ctx.now.toISOString();
  const facts: SupervisionFacts = {
    reportId,
    number: input.number,
    period: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() },
    inspectedBy: [ctx.actor.agency],
    generatedAt,
    resolutions,
    missedDeadlines,
    missedArrivals,
    missedMeetingMonths: [...months].sort(),
  };
  const text = composeSupervisionReport(facts);
  const bytes = await deps.reports.supervisionPdf(text, generatedAt);
  const stored = await deps.files.put(`oversight/supervision/${reportId}.pdf`, bytes, PDF, `督查报告-${input.number}.pdf`);
  const record: SupervisionReportRecord = {
    reportId,
    number: input.number,
    period: facts.period,
    inspectedBy: facts.inspectedBy,
    generatedAt,
    generatedBy: ctx.actor,
    document: { key: stored.key, sha256: stored.sha256, size: stored.size },
    findings: { resolutions: resolutions.length, missedDeadlines: missedDeadlines.length, missedArrivals: missedArrivals.length, missedMeetingMonths: months.size },
  };
  const events = (['city-government', 'leading-group-office'] as const).map((addressee) => reportEvent(deps, record, addressee, ctx.now));
  await deps.uow.commit(
    [deps.supervision.addReport(record), ...events.map((e) => deps.inbox.add(e))],
    [auditOf(ctx, 'supervision.report', { type: 'supervision-report', id: reportId }, { number: input.number, sha256: stored.sha256, ...record.findings })],
  );
  return { ...record, url: await deps.files.presignDownload(stored.key, DOWNLOAD_URL_TTL_SECONDS, ctx.now) };
}

/** How a case is named in the report: its label, or — a project's own deadline — the project's name. */
async function caseLabelOf(deps: Pick<SupervisionDeps, 'projects'>, caseId: string, watch: DeadlineWatch | undefined): Promise<string> {
  if (watch?.caseLabel) return watch.projectId ? `${watch.caseLabel}（项目 ${watch.projectId}）` : watch.caseLabel;
  const project = await deps.projects.get(caseId).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  return project ? `${project.name}（项目 ${caseId}）` : caseId;
}

export async function readSupervisionReport(deps: SupervisionDeps, reportId: string, ctx: ActionContext) {
  authorize(ctx.actor, 'supervision.read', [CITY.id]);
  const record = await deps.supervision.report(reportId);
  await auditRead(deps.uow, ctx, 'supervision.read', { type: 'supervision-report', id: reportId });
  return { ...record, url: await deps.files.presignDownload(record.document.key, DOWNLOAD_URL_TTL_SECONDS, ctx.now) };
}

export interface AssignRequest {
  problem: string;
  assignee: { agency: AgencyId; jurisdiction: string };
  period: string;
  reportId?: string | undefined;
}

/**
 * A problem assigned (交办) to its owner with a time limit counted on the legal calendar; followed up
 * (督办) as an agency deadline: missed, it alerts the inspectors and counts against the owner.
 */
export async function assignProblem(deps: SupervisionDeps, input: AssignRequest, ctx: ActionContext) {
  authorize(ctx.actor, 'supervision.inspect', [CITY.id]);
  const place = findJurisdiction(input.assignee.jurisdiction);
  if (!place || !AGENCIES[input.assignee.agency].levels.includes(place.level)) {
    throw new ValidationError('assignment.assignee-unknown', `承办单位 ${AGENCIES[input.assignee.agency].nameZh} 在辖区 ${input.assignee.jurisdiction} 不存在`);
  }
  if (input.reportId) await deps.supervision.report(input.reportId);
  const assignmentId = deps.newId(ctx.now.getTime());
  const rule = { ...watchRule('supervision-assignment', { period: input.period }), id: assignmentKey(assignmentId) };
  const on = { caseId: assignmentId, caseKind: 'oversight' as const, caseLabel: `督查交办事项：${input.problem.slice(0, 40)}`, phase: ASSIGNMENTS_PHASE, jurisdiction: input.assignee.jurisdiction };
  const watch = openWatch(on, rule, ctx.now, await deps.calendar(), { responsible: input.assignee });
  const assignment: Assignment = {
    assignmentId,
    ...(input.reportId ? { reportId: input.reportId } : {}),
    problem: input.problem,
    assignee: input.assignee,
    period: input.period,
    lastDay: watch.lastDay,
    dueAt: watch.dueAt,
    assignedBy: ctx.actor,
    assignedAt: ctx.now.toISOString(),
    status: 'open',
  };
  await deps.uow.commit(
    [deps.supervision.saveAssignment(assignment, 'absent'), deps.watches.save(watch, 'absent'), deps.inbox.add(assignedEvent(deps, assignment, ctx.now))],
    [auditOf(ctx, 'supervision.assign', { type: 'assignment', id: assignmentId }, { assignee: input.assignee.agency, dueAt: watch.dueAt })],
  );
  await deps.scheduler.ensure(assignmentId, ASSIGNMENTS_PHASE, [watch], ctx.now);
  return assignmentView(deps, assignment);
}

/** The owner reports the problem put right: the deadline is met (late, if past due: the miss stays on record). */
export async function completeSupervisionAssignment(deps: SupervisionDeps, assignmentId: string, input: { summary: string }, ctx: ActionContext) {
  authorizeAgency(ctx.actor, 'assignment.report');
  const { version, ...assignment } = await deps.supervision.assignment(assignmentId);
  if (assignment.assignee.agency !== ctx.actor.agency) throw new ForbiddenError('forbidden.agency', '该交办事项不由本单位承办');
  if (!covers(ctx.actor.jurisdiction, assignment.assignee.jurisdiction)) throw new ForbiddenError('forbidden.jurisdiction', '该交办事项由其他辖区的单位承办');
  const next = completeAssignment(assignment as Assignment, input.summary, ctx.actor, ctx.now);
  const stored = await deps.watches.get(assignmentId, assignmentKey(assignmentId));
  const met = meetWatch(stored.watch, ctx.now, ctx.actor.user);
  await deps.uow.commit(
    [deps.supervision.saveAssignment(next, version), deps.watches.save(met, stored.version)],
    [auditOf(ctx, 'assignment.done', { type: 'assignment', id: assignmentId }, { late: next.done!.late })],
  );
  if (stored.waiting) await deps.scheduler.release(stored.waiting, met);
  return assignmentView(deps, next);
}

/** The inspectors and the leading group office see every assignment; an owner its own. */
export async function readAssignment(deps: SupervisionDeps, assignmentId: string, ctx: ActionContext) {
  const { version: _v, ...assignment } = await deps.supervision.assignment(assignmentId);
  const own = assignment.assignee.agency === ctx.actor.agency && covers(ctx.actor.jurisdiction, assignment.assignee.jurisdiction);
  if (!own) authorize(ctx.actor, 'supervision.read', [CITY.id]);
  await auditRead(deps.uow, ctx, 'assignment.read', { type: 'assignment', id: assignmentId });
  return assignmentView(deps, assignment as Assignment);
}

async function assignmentView(deps: SupervisionDeps, assignment: Assignment) {
  const w = (await deps.watches.find(assignment.assignmentId, assignmentKey(assignment.assignmentId)))?.watch;
  return {
    ...assignment,
    dueAtBeijing: formatBeijing(assignment.dueAt),
    ...(w ? { deadline: { status: w.status, live: isLive(w), ...(w.alertedAt ? { alertedAt: w.alertedAt } : {}), ...(w.metAt ? { metAt: w.metAt } : {}) } } : {}),
  };
}

/** The discipline commission records a summons (约谈) of a responsible official. */
export async function recordOfficialSummons(
  deps: SupervisionDeps,
  input: { official: { name: string; title: string }; agency: AgencyId; jurisdiction: string; reason: string; heldAt: string; reportId?: string | undefined; assignmentId?: string | undefined },
  ctx: ActionContext,
) {
  authorize(ctx.actor, 'supervision.summon', [CITY.id]);
  if (!findJurisdiction(input.jurisdiction)) throw new ValidationError('summons.jurisdiction-unknown', `辖区不存在：${input.jurisdiction}`);
  if (input.reportId) await deps.supervision.report(input.reportId);
  if (input.assignmentId) await deps.supervision.assignment(input.assignmentId);
  const { reportId, assignmentId, ...rest } = input;
  const summons = recordSummons(deps.newId(ctx.now.getTime()), { ...rest, ...(reportId ? { reportId } : {}), ...(assignmentId ? { assignmentId } : {}) }, ctx.actor, ctx.now);
  await deps.uow.commit([deps.supervision.addSummons(summons)], [auditOf(ctx, 'supervision.summon', { type: 'summons', id: summons.summonsId }, { agency: input.agency, jurisdiction: input.jurisdiction, heldAt: summons.heldAt })]);
  return summons;
}

export async function readSummons(deps: SupervisionDeps, summonsId: string, ctx: ActionContext) {
  authorize(ctx.actor, 'supervision.read', [CITY.id]);
  const summons = await deps.supervision.summons(summonsId);
  await auditRead(deps.uow, ctx, 'summons.read', { type: 'summons', id: summonsId });
  return summons;
}

// ---- inbox events ----

function reportEvent(deps: SupervisionDeps, record: SupervisionReportRecord, addressee: 'city-government' | 'leading-group-office', now: Date): InboxEvent {
  const f = record.findings;
  return inboxEvent({
    id: deps.newId(now.getTime()),
    at: now,
    projectId: record.reportId,
    addressee,
    kind: 'supervision-report',
    title: `督查报告 ${record.number}`,
    text: `${record.inspectedBy.map((a) => AGENCIES[a].nameZh).join('、')}督查（${formatBeijing(record.period.from)} 至 ${formatBeijing(record.period.to)}）：决议未按期落实 ${f.resolutions} 项，部门履职逾期 ${f.missedDeadlines} 项，突发事件到场超时 ${f.missedArrivals} 起，未召开联席会议 ${f.missedMeetingMonths} 个月（§四(四)）。`,
    jurisdictions: [CITY.id],
    data: { reportId: record.reportId, number: record.number, sha256: record.document.sha256, ...f },
  });
}

function assignedEvent(deps: SupervisionDeps, assignment: Assignment, now: Date): InboxEvent {
  return inboxEvent({
    id: deps.newId(now.getTime()),
    at: now,
    projectId: assignment.reportId ?? assignment.assignmentId,
    addressee: assignment.assignee.agency,
    kind: 'supervision-assignment',
    title: '督查交办事项',
    text: `${AGENCIES[assignment.assignedBy.agency].nameZh}交办：${assignment.problem}。请于 ${formatBeijing(assignment.dueAt)} 前办结并报告；逾期予以督办，可提请市纪（监）委约谈、追责（§四(四)）。`,
    jurisdictions: [assignment.assignee.jurisdiction],
    data: { assignmentId: assignment.assignmentId, problem: assignment.problem, dueAt: assignment.dueAt, period: assignment.period, ...(assignment.reportId ? { reportId: assignment.reportId } : {}) },
  });
}
