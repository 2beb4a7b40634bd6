import type { AgencyId } from '../agencies.ts';
import { caseKindOf, caseLinkOf, type CaseKind, type CaseLink } from '../deadlines/case-link.ts';
import type { DeadlineWatch } from '../deadlines/watch.ts';
import type { Alert } from './alert.ts';

/**
 * An overdue alert as the console's alerts list shows it: written with the alert, in the same
 * transaction as the miss, and readable by every agency the alert is addressed to. The leading
 * group office is always among them: it sees every alert of the city.
 */
export interface AlertFeedEntry {
  alertId: string;
  /** When the alert was raised (the miss was found). */
  at: string;
  severity: Alert['severity'];
  agencies: AgencyId[];
  responsibleAgency: AgencyId;
  /** The jurisdiction of the branch that answers for the step: an agency sees entries within its own. */
  jurisdiction: string;
  caseId: string;
  caseKind: CaseKind;
  /** The project the case belongs to (the case itself for a project). */
  projectId: string;
  caseLabel?: string;
  link: CaseLink;
  ruleId: string;
  step: string;
  period: string;
  lastDay: string;
  dueAt: string;
  source: string;
  /** The alert's text (Chinese, Beijing time). */
  message: string;
}

export function alertFeedEntry(watch: DeadlineWatch, alert: Alert): AlertFeedEntry {
  return {
    alertId: alert.alertId,
    at: alert.raisedAt,
    severity: alert.severity,
    agencies: [...new Set<AgencyId>([...alert.agencies, 'leading-group-office'])],
    responsibleAgency: watch.responsibleAgency,
    jurisdiction: watch.jurisdiction,
    caseId: watch.caseId,
    caseKind: caseKindOf(watch),
    projectId: alert.projectId,
    ...(watch.caseLabel ? { caseLabel: watch.caseLabel } : {}),
    link: caseLinkOf(watch),
    ruleId: watch.ruleId,
    step: watch.step,
    period: watch.period,
    lastDay: watch.lastDay,
    dueAt: watch.dueAt,
    source: watch.source,
    message: alert.message,
  };
}
