import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import { fromItem, withoutVersion } from '../../../shared/cases/records.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { LIVE_WATCHES_INDEX_PK, recountWatch, watchToItem, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { builtInYears, computeDeadline, formatBeijing, type HolidayCalendar, type HolidayYear } from '../../../shared/calendar/index.ts';
import { ValidationError } from '../../../shared/errors.ts';
import { calendarYearSk, CALENDAR_PK, readOverrides, yearItem } from '../../../shared/holidays/holiday-source.ts';
import { authorize } from '../../../shared/permissions.ts';
import type { CaseStore } from '../../../shared/store/case-store.ts';

export interface PlatformDeps {
  store: CaseStore;
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
  const overrides = await readOverrides(deps.store);
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
  authorize(ctx.actor, 'calendar.admin', ['yongzhou']);
  if (data.year !== year) throw new ValidationError('calendar.year-mismatch', `路径中的年份 ${year} 与数据中的年份 ${data.year} 不一致`);
  const existing = await deps.store.get(CALENDAR_PK, calendarYearSk(year));
  await deps.store.commit(
    [{ item: yearItem(data), expect: existing ? { version: existing.version ?? 0 } : { absent: true } }],
    [auditOf(ctx, 'calendar.put-year', { type: 'holiday-year', id: String(year) }, { source: data.source, holidays: data.holidays.length, workdays: data.workdays.length, replaced: Boolean(existing) })],
  );
  const recounted = await recountOpenDeadlines(deps, ctx);
  return { ...data, recountedDeadlines: recounted };
}

async function recountOpenDeadlines(deps: PlatformDeps, ctx: ActionContext) {
  const calendar = await deps.calendar();
  const live = (await deps.store.queryIndex(LIVE_WATCHES_INDEX_PK)).map((item) => fromItem<DeadlineWatch>(item));
  const changed: Array<{ caseId: string; ruleId: string; from: string; to: string }> = [];
  for (const watch of live) {
    const { version, ...current } = watch;
    const recounted = recountWatch(current, calendar);
    if (!recounted) continue;
    await deps.store.commit(
      [{ item: watchToItem(recounted), expect: { version } }],
      [auditOf(ctx, 'deadline.recounted', { type: 'deadline', id: `${watch.caseId}/${watch.ruleId}`, projectId: watch.caseId }, { from: watch.dueAt, to: recounted.dueAt })],
    );
    changed.push({ caseId: watch.caseId, ruleId: watch.ruleId, from: watch.dueAt, to: recounted.dueAt });
  }
  for (const caseId of new Set(changed.map((c) => c.caseId))) {
    const phaseWatches = (await deps.store.queryIndex(LIVE_WATCHES_INDEX_PK)).map((item) => withoutVersion(fromItem<DeadlineWatch>(item))).filter((w) => w.caseId === caseId);
    for (const phase of new Set(phaseWatches.map((w) => w.phase))) {
      await deps.scheduler.restart(caseId, phase, phaseWatches.filter((w) => w.phase === phase));
    }
  }
  return changed;
}

/** Overdue records for performance assessment, newest first, a page at a time. */
export async function overdueRecords(deps: PlatformDeps, page: { limit: number; cursor?: string | undefined }, ctx: ActionContext) {
  authorize(ctx.actor, 'performance.read', ['yongzhou']);
  const found = await deps.store.pageIndex('OVERDUE', page);
  await auditRead(deps.store, ctx, 'performance.read', { type: 'performance', id: 'overdue' }, { count: found.items.length });
  return { items: found.items.map((item) => withoutVersion(fromItem<Record<string, unknown>>(item))), ...(found.cursor ? { cursor: found.cursor } : {}) };
}
