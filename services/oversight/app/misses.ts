import { AGENCY_IDS } from '../../../shared/agencies.ts';
import type { MetRecord, PerformanceRepository, WatchRepository } from '../../../shared/cases/ports.ts';
import type { DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import type { JudgedOverdue } from '../domain/scorecard.ts';

/**
 * Every agency's judged deadlines as the deadline worker recorded them (met in time; missed), the
 * misses with what became of them since — met late, still open, stopped — from their watches. What
 * the scorecard and the supervision report are computed from: records only, nothing typed in.
 */
export async function judgedDeadlines(
  deps: { performance: PerformanceRepository; watches: WatchRepository },
  dueWithin: (dueAt: string) => boolean,
): Promise<{ met: MetRecord[]; overdue: Array<JudgedOverdue & { watch?: DeadlineWatch }> }> {
  const records = await Promise.all(AGENCY_IDS.map((agency) => deps.performance.ofAgency(agency)));
  const overdue = await Promise.all(
    records
      .flatMap((r) => r.overdue)
      .filter((record) => dueWithin(record.dueAt))
      .map(async (record) => {
        const stored = await deps.watches.find(record.caseId, record.ruleId);
        // A record whose watch is gone is counted as still unmet: the miss stays on the books.
        if (!stored) return { ...record, status: 'overdue' as const };
        const { status, metAt, cancelledAt } = stored.watch;
        return { ...record, status, ...(metAt ? { metAt } : {}), ...(cancelledAt ? { cancelledAt } : {}), watch: stored.watch };
      }),
  );
  return { met: records.flatMap((r) => r.met), overdue };
}
