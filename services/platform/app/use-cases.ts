import { CITY } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { MaintenanceJobRepository, PerformanceRepository, UnitOfWork } from '../../../shared/cases/ports.ts';
import { builtInYears, computeDeadline, formatBeijing, type HolidayCalendar, type HolidayYear, type HolidayYearRepository } from '../../../shared/calendar/index.ts';
import { jobView, newJob, type MaintenanceRunner } from '../../../shared/deadlines/maintenance-job.ts';
import { ValidationError } from '../../../shared/errors.ts';
import { authorize } from '../../../shared/permissions.ts';

export interface PlatformDeps {
  uow: UnitOfWork;
  holidayYears: HolidayYearRepository;
  performance: PerformanceRepository;
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
