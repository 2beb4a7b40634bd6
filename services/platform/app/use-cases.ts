import { CITY, covers } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { AlertFeedRepository, MaintenanceJobRepository, PerformanceRepository, UnitOfWork, WatchRepository } from '../../../shared/cases/ports.ts';
import { builtInYears, computeDeadline, formatBeijing, type HolidayCalendar, type HolidayYear, type HolidayYearRepository } from '../../../shared/calendar/index.ts';
import { jobView, newJob, type MaintenanceRunner } from '../../../shared/deadlines/maintenance-job.ts';
import { ValidationError } from '../../../shared/errors.ts';
import { authorize } from '../../../shared/permissions.ts';
import { alertItem, workItem } from '../domain/work.ts';
import { filteredPage } from './filtered-page.ts';

export interface PlatformDeps {
  uow: UnitOfWork;
  holidayYears: HolidayYearRepository;
  performance: PerformanceRepository;
  watches: WatchRepository;
  alertFeed: AlertFeedRepository;
  jobs: MaintenanceJobRepository;
  calendar: () => Promise<HolidayCalendar>;
  runner: MaintenanceRunner;
  newId: (nowMs: number) => string;
}

/** The legal calendar, as agencies query it: the same computation every workflow uses. */
export async function deadlineFor(deps: PlatformDeps, query: { period: string; from: string }, ctx: ActionContext) {
  authorize(ctx.actor, 'calendar.read', [ctx.actor.jurisdiction]);
  const deadline = computeDeadline(query.period, query.from, await deps.calendar());
  return { ...deadline, dueAtBeijing: formatBeijing(deadline.dueAt) };
}

export async function holidayYears(deps: PlatformDeps, ctx: ActionContext) {
  authorize(ctx.actor, 'calendar.read', [ctx.actor.jurisdiction]);
  const overrides = await deps.holidayYears.list();
  const overridden = new Set(overrides.map((y) => y.year));
  const builtIn = builtInYears().filter((y) => !overridden.has(y.year)).map((y) => ({ year: y.year, source: y.source, origin: 'built-in' as const }));
  const operator = overrides.map((y) => ({ year: y.year, source: y.source, updatedAt: y.updatedAt, origin: 'operator' as const }));
  return [...builtIn, ...operator].sort((a, b) => a.year - b.year);
}

/**
 * Adds or corrects one year's State Council schedule; audited, effective without a redeploy.
 * Open deadlines are re-counted on the corrected calendar by a recount job (a schedule can change
 * mid-year): recorded in the same transaction as the year, run a page at a time on the
 * deadline-maintenance workflow, each change audited and each moved case phase restarted once.
 */
export async function putHolidayYear(deps: PlatformDeps, year: number, data: HolidayYear, ctx: ActionContext) {
  authorize(ctx.actor, 'calendar.admin', [CITY.id]);
  if (data.year !== year) throw new ValidationError('calendar.year-mismatch', `路径中的年份 ${year} 与数据中的年份 ${data.year} 不一致`);
  const existing = await deps.holidayYears.find(year);
  const job = newJob(`recount-${year}-${deps.newId(ctx.now.getTime())}`, 'recount', `holiday year ${year} corrected`, ctx.now);
  await deps.uow.commit(
    [deps.holidayYears.save(data, existing?.version ?? 'absent'), deps.jobs.save(job, 'absent')],
    [
      auditOf(ctx, 'calendar.put-year', { type: 'holiday-year', id: String(year) }, { source: data.source, holidays: data.holidays.length, workdays: data.workdays.length, replaced: Boolean(existing), jobId: job.jobId }),
      auditOf(ctx, 'maintenance.start', { type: 'maintenance-job', id: job.jobId }, { kind: job.kind }),
    ],
  );
  await deps.runner.start(job.jobId);
  return { ...data, job: jobView(job) };
}

/** A maintenance job's progress (a holiday recount, or reconcile): the leading group office's; audited. */
export async function maintenanceJob(deps: PlatformDeps, jobId: string, ctx: ActionContext) {
  authorize(ctx.actor, 'calendar.admin', [CITY.id]);
  const { version: _version, ...job } = await deps.jobs.get(jobId);
  await auditRead(deps.uow, ctx, 'maintenance.read', { type: 'maintenance-job', id: jobId }, { status: job.status });
  return jobView(job);
}

/** Overdue records for performance assessment, newest first, a page at a time. */
export async function overdueRecords(deps: PlatformDeps, page: { limit: number; cursor?: string | undefined }, ctx: ActionContext) {
  authorize(ctx.actor, 'performance.read', [CITY.id]);
  const found = await deps.performance.page(page);
  await auditRead(deps.uow, ctx, 'performance.read', { type: 'performance', id: 'overdue' }, { count: found.items.length });
  return found;
}

/**
 * What the caller's agency must do: the live deadlines it answers for within its jurisdiction,
 * nearest due first, a page at a time. One index partition per agency; an agency with many
 * branches (townships, district branches) filters its partition to the caller's jurisdiction
 * within a bounded number of reads (a short page then carries a cursor).
 */
export async function myWork(deps: PlatformDeps, page: { limit: number; cursor?: string | undefined }, ctx: ActionContext) {
  authorize(ctx.actor, 'inbox.read', [ctx.actor.jurisdiction]);
  const found = await filteredPage((p) => deps.watches.liveOfAgency(ctx.actor.agency, p), (w) => covers(ctx.actor.jurisdiction, w.jurisdiction), page);
  await auditRead(deps.uow, ctx, 'my-work.read', { type: 'my-work', id: ctx.actor.agency }, { count: found.items.length });
  return { items: found.items.map((w) => workItem(w, ctx.now)), ...(found.cursor ? { cursor: found.cursor } : {}) };
}

/**
 * The overdue alerts addressed to the caller's agency (responsible, co-accountable or escalated to;
 * the leading group office: every one), within its jurisdiction, newest first; `since`: only
 * those raised after it (a console polling for new alerts).
 */
export async function alertsFor(deps: PlatformDeps, query: { limit: number; cursor?: string | undefined; since?: string | undefined }, ctx: ActionContext) {
  authorize(ctx.actor, 'alerts.read', [ctx.actor.jurisdiction]);
  const since = query.since === undefined ? undefined : Date.parse(query.since);
  const found = await filteredPage(
    (p) => deps.alertFeed.page(ctx.actor.agency, p),
    (entry) => covers(ctx.actor.jurisdiction, entry.jurisdiction),
    { limit: query.limit, cursor: query.cursor },
    (entry) => since !== undefined && Date.parse(entry.at) <= since,
  );
  await auditRead(deps.uow, ctx, 'alerts.read', { type: 'alerts', id: ctx.actor.agency }, { count: found.items.length });
  return { items: found.items.map(alertItem), ...(found.cursor ? { cursor: found.cursor } : {}) };
}
