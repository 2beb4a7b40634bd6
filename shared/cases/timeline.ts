import type { AgencyId } from '../agencies.ts';
import { formatBeijing, resolveRule, type RuleId } from '../calendar/index.ts';
import { describeDue, isDue, type DeadlineWatch } from '../deadlines/watch.ts';
import type { Identity } from '../identity.ts';
import type { HouseholdStep } from './household-money.ts';

/**
 * A case's procedure as a list of steps (a project's, a household's): each step done, open or
 * overdue, by whom, when it is due (Beijing time shown) and its legal source. Built from the
 * case's records alone, with "now" deciding what is overdue.
 */

/**
 * `refused`: the party refused the step (e.g. 拒不腾地), which opens what the law provides next.
 * `cancelled` (已撤销): the clock stopped running (the case was suspended, restarted or ended).
 */
export type StepStatus = 'done' | 'done-late' | 'open' | 'overdue' | 'closed' | 'not-started' | 'refused' | 'cancelled';

export interface TimelineStep {
  step: string;
  status: StepStatus;
  responsibleAgency: AgencyId;
  legalSource: string;
  /** When the step's clock started (its watch's trigger: a publication, a posting): a Gantt bar's start. */
  startedAt?: string;
  startedAtBeijing?: string;
  dueAt?: string;
  dueAtBeijing?: string;
  /** The last day (Beijing date) and, in words, when the period ends: "2026年10月16日24时". */
  lastDay?: string;
  /** In words; "张贴后起算" for a group's registration window while the notice is not posted there. */
  due?: string;
  doneAt?: string;
  doneAtBeijing?: string;
  by?: Pick<Identity, 'agency' | 'user' | 'jurisdiction'>;
  detail?: string;
}

export function clockStep(
  watch: DeadlineWatch | undefined,
  ruleId: RuleId,
  now: Date,
  shown: { name?: string | undefined; detail?: string | undefined; by?: Identity | undefined } = {},
): TimelineStep {
  const { detail, by } = shown;
  if (!watch) {
    const rule = resolveRule(ruleId);
    return pending(shown.name ?? rule.step.zh, rule.responsible, rule.source, detail);
  }
  const base = {
    step: shown.name ?? watch.step,
    responsibleAgency: watch.responsibleAgency,
    legalSource: watch.source,
    startedAt: watch.triggeredAt,
    startedAtBeijing: formatBeijing(watch.triggeredAt),
    dueAt: watch.dueAt,
    dueAtBeijing: formatBeijing(watch.dueAt),
    lastDay: watch.lastDay,
    due: describeDue(watch),
    ...(detail ? { detail } : {}),
  };
  if (watch.status === 'met' || watch.status === 'met-late') {
    return {
      ...base,
      status: watch.status === 'met' ? 'done' : 'done-late',
      ...(watch.metAt ? { doneAt: watch.metAt, doneAtBeijing: formatBeijing(watch.metAt) } : {}),
      ...(by ? { by: actorOf(by) } : {}),
    };
  }
  if (watch.status === 'cancelled') {
    const cancelled = `已撤销${watch.cancelledAt ? `（${formatBeijing(watch.cancelledAt)}）` : ''}${watch.cancelReason ? `：${watch.cancelReason}` : ''}`;
    return { ...base, status: 'cancelled', detail: detail ? `${detail}；${cancelled}` : cancelled };
  }
  if (watch.clock !== 'agency-deadline') return { ...base, status: watch.status === 'elapsed' || isDue(watch, now) ? 'closed' : 'open' };
  return { ...base, status: watch.status === 'overdue' || isDue(watch, now) ? 'overdue' : 'open' };
}

export function done(step: string, agency: AgencyId, source: string, at: string, by: Identity | undefined, detail?: string): TimelineStep {
  return {
    step,
    status: 'done',
    responsibleAgency: agency,
    legalSource: source,
    doneAt: at,
    doneAtBeijing: formatBeijing(at),
    ...(by ? { by: actorOf(by) } : {}),
    ...(detail ? { detail } : {}),
  };
}

export function pending(step: string, agency: AgencyId, source: string, detail?: string): TimelineStep {
  return { step, status: 'not-started', responsibleAgency: agency, legalSource: source, ...(detail ? { detail } : {}) };
}

export const actorOf = (by: Identity) => ({ agency: by.agency, user: by.user, jurisdiction: by.jurisdiction });

/** A step another service published for a household (shared/cases/household-money.ts). */
export function publishedStep(step: HouseholdStep): TimelineStep {
  const base = { step: step.step, responsibleAgency: step.responsibleAgency, legalSource: step.legalSource, ...(step.detail ? { detail: step.detail } : {}) };
  if (step.status !== 'done') return { ...base, status: step.status };
  return { ...base, status: 'done', ...(step.doneAt ? { doneAt: step.doneAt, doneAtBeijing: formatBeijing(step.doneAt) } : {}), ...(step.by ? { by: step.by } : {}) };
}
