import { CITY } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { PerformanceRepository, UnitOfWork, WatchRepository } from '../../../shared/cases/ports.ts';
import { builtInYears, computeDeadline, formatBeijing, type HolidayCalendar, type HolidayYear, type HolidayYearRepository } from '../../../shared/calendar/index.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { recountWatch, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { ValidationError } from '../../../shared/errors.ts';
import { authorize } from '../../../shared/permissions.ts';

export interface PlatformDeps {
  uow: UnitOfWork;
  holidayYears: HolidayYearRepository;
  watches: WatchRepository;
  performance: PerformanceRepository;
  calendar: () => Promise<HolidayCalendar>;
  scheduler: WatchScheduler;
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
 * Open deadlines are re-counted on the corrected calendar (a schedule can change mid-year), each
 * change audited, and their workflows restarted on the new due instants.
 */
export async function putHolidayYear(deps: PlatformDeps, year: number, data: HolidayYear, ctx: ActionContext) {
  authorize(ctx.actor, 'calendar.admin', [CITY.id]);
  if (data.year !== year) throw new ValidationError('calendar.year-mismatch', `路径中的年份 ${year} 与数据中的年份 ${data.year} 不一致`);
  const existing = await deps.holidayYears.find(year);
  await deps.uow.commit(
    [deps.holidayYears.save(data, existing?.version ?? 'absent')],
    [auditOf(ctx, 'calendar.put-year', { type: 'holiday-year', id: String(year) }, { source: data.source, holidays: data.holidays.length, workdays: data.workdays.length, replaced: Boolean(existing) })],
  );
  const recounted = await recountOpenDeadlines(deps, ctx);
  return { ...data, recountedDeadlines: recounted };
}

async function recountOpenDeadlines(deps: PlatformDeps, ctx: ActionContext) {
  const calendar = await deps.calendar();
  const changed: Array<{ caseId: string; ruleId: string; from: string; to: string }> = [];
  for (const { watch, version, waiting } of await deps.watches.live()) {
    const recounted = recountWatch(watch, calendar);
    if (!recounted) continue;
    await deps.uow.commit(
      [deps.watches.save(recounted, version, waiting ? { waiting } : {})],
      [auditOf(ctx, 'deadline.recounted', { type: 'deadline', id: `${watch.caseId}/${watch.ruleId}`, projectId: watch.caseId }, { from: watch.dueAt, to: recounted.dueAt })],
    );
    changed.push({ caseId: watch.caseId, ruleId: watch.ruleId, from: watch.dueAt, to: recounted.dueAt });
  }
  const live = (await deps.watches.live()).map((s) => s.watch);
  for (const caseId of new Set(changed.map((c) => c.caseId))) {
    const caseWatches: DeadlineWatch[] = live.filter((w) => w.caseId === caseId);
    for (const phase of new Set(caseWatches.map((w) => w.phase))) {
      await deps.scheduler.restart(caseId, phase, caseWatches.filter((w) => w.phase === phase));
    }
  }
  return changed;
}

/** Overdue records for performance assessment, newest first, a page at a time. */
export async function overdueRecords(deps: PlatformDeps, page: { limit: number; cursor?: string | undefined }, ctx: ActionContext) {
  authorize(ctx.actor, 'performance.read', [CITY.id]);
  const found = await deps.performance.page(page);
  await auditRead(deps.uow, ctx, 'performance.read', { type: 'performance', id: 'overdue' }, { count: found.items.length });
  return found;
}
