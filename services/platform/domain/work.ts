import type { AlertFeedEntry } from '../../../shared/alerts/feed.ts';
import { formatBeijing } from '../../../shared/calendar/index.ts';
import { caseKindOf, caseLinkOf } from '../../../shared/deadlines/case-link.ts';
import { isDue, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';

/** A live deadline as the agency's "my work" list shows it. */
export function workItem(watch: DeadlineWatch, now: Date) {
  return {
    caseId: watch.caseId,
    ...(watch.projectId ? { projectId: watch.projectId } : {}),
    caseKind: caseKindOf(watch),
    ...(watch.caseLabel ? { caseLabel: watch.caseLabel } : {}),
    link: caseLinkOf(watch),
    jurisdiction: watch.jurisdiction,
    step: watch.step,
    ruleId: watch.ruleId,
    source: watch.source,
    period: watch.period,
    clock: watch.clock,
    lastDay: watch.lastDay,
    dueAt: watch.dueAt,
    dueBeijing: formatBeijing(watch.dueAt),
    // The server's clock decides (the local cloud's is virtual), not the reader's.
    overdue: isDue(watch, now),
    ...(watch.severity ? { severity: watch.severity } : {}),
  };
}

/** An alert as the console's alerts list shows it. */
export function alertItem(entry: AlertFeedEntry) {
  return {
    id: entry.alertId,
    at: entry.at,
    atBeijing: formatBeijing(entry.at),
    severity: entry.severity,
    agency: entry.responsibleAgency,
    agencies: entry.agencies,
    jurisdiction: entry.jurisdiction,
    caseId: entry.caseId,
    caseKind: entry.caseKind,
    projectId: entry.projectId,
    ...(entry.caseLabel ? { caseLabel: entry.caseLabel } : {}),
    link: entry.link,
    ruleId: entry.ruleId,
    step: entry.step,
    period: entry.period,
    lastDay: entry.lastDay,
    dueAt: entry.dueAt,
    dueBeijing: formatBeijing(entry.dueAt),
    source: entry.source,
    message: entry.message,
  };
}
