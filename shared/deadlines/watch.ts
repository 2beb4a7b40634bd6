import type { AgencyId } from '../agencies.ts';
import { computeDeadline, EACH_CALENDAR_MONTH, formatBeijing, type ClockKind, type HolidayCalendar } from '../calendar/index.ts';

/**
 * A running legal clock on a case: opened when its trigger happens, watched by a workflow, met
 * by the step it waits for. The record in DynamoDB is the truth; the workflow is only its timer.
 *
 * Kinds of clock are the rule table's (`ClockKind`): a public window closes at its end; a waiting
 * period refuses the next step before it ends; an agency deadline, when it passes unmet, sends one
 * overdue alert, counts against the responsible agency, and the watch goes on until met.
 */

export type WatchStatus =
  /** Running, not yet due. */
  | 'open'
  /** Met before it fell due. */
  | 'met'
  /** Due and unmet: alerted, still awaiting the step. */
  | 'overdue'
  /** Met after it fell due. */
  | 'met-late'
  /** A window or waiting period that has run out. */
  | 'elapsed'
  /**
   * The clock no longer runs: the case was suspended, restarted or ended. A miss of it counts
   * against no one, and nothing is alerted for it any more.
   */
  | 'cancelled';

export interface DeadlineWatch {
  caseId: string;
  /** The project of a case that is not a project itself (a household's payment clock). */
  projectId?: string;
  /** How people name such a case, for alerts: "梅湾村一组 001 号户（户主张三）". */
  caseLabel?: string;
  /**
   * What the case is: without `projectId` a project; with one a household unless it says
   * `incident`. `oversight`: a city-level duty of the leading group (a joint meeting's resolution,
   * the monthly meeting, a supervision assignment), named by `caseLabel` alone.
   */
  caseKind?: 'incident' | 'oversight';
  /** The workflow phase that times it (one execution per case and phase). */
  phase: string;
  /** Where the case is (its district, or a group's township): alerts and performance records say whose branch it was. */
  jurisdiction: string;
  /**
   * The watch's key in its case: the rule id, or `<rule>/<village group>` for a rule that runs
   * once per group (`perGroupRuleId`).
   */
  ruleId: string;
  step: string;
  clock: ClockKind;
  period: string;
  responsibleAgency: AgencyId;
  escalateTo: AgencyId[];
  source: string;
  triggeredAt: string;
  lastDay: string;
  dueAt: string;
  status: WatchStatus;
  metAt?: string;
  metBy?: string;
  alertedAt?: string;
  cancelledAt?: string;
  /** Why the clock stopped, in words people read (Chinese). */
  cancelReason?: string;
  /** `false`: the responsible agency is not one the city assesses (a court): a miss is shown and alerted, not recorded. */
  assessed?: false;
  /** The rule table's `alertSeverity`: a miss alerts as critical (the 2-hour rule); otherwise as a warning. */
  severity?: 'critical';
  /**
   * Agencies that answer for a miss besides the responsible one, each from `since` (e.g. finance,
   * when the dedicated account could not cover a payment before the due instant). A miss counts
   * against an entry only if it was added before the due instant.
   */
  accountableAlso?: Array<{ agency: AgencyId; jurisdiction: string; reason: string; since: string }>;
}

export interface WatchRule {
  id: string;
  step: string;
  clock: ClockKind;
  period: string;
  responsibleAgency: AgencyId;
  escalateTo: readonly AgencyId[];
  source: string;
  /** The rule table's `assessed: false` (the courts): shown, not scored. */
  assessed?: false;
  /** The rule table's `alertSeverity`. */
  severity?: 'critical';
}

export interface OpenWatchOptions {
  /**
   * Who answers for this clock, and where, when it is not the rule's agency in the case's
   * jurisdiction: e.g. the particular court that received an application.
   */
  responsible?: { agency: AgencyId; jurisdiction: string };
}

/** Opens a watch: the due instant comes from the legal calendar, nowhere else. */
export function openWatch(
  on: { caseId: string; phase: string; jurisdiction: string; projectId?: string; caseLabel?: string; caseKind?: 'incident' | 'oversight' },
  rule: WatchRule,
  triggeredAt: Date,
  calendar: HolidayCalendar,
  options: OpenWatchOptions = {},
): DeadlineWatch {
  const deadline = computeDeadline(rule.period, triggeredAt, calendar);
  return {
    ...on,
    ...(options.responsible ? { jurisdiction: options.responsible.jurisdiction } : {}),
    ruleId: rule.id,
    step: rule.step,
    clock: rule.clock,
    period: rule.period,
    responsibleAgency: options.responsible?.agency ?? rule.responsibleAgency,
    escalateTo: [...rule.escalateTo],
    source: rule.source,
    triggeredAt: triggeredAt.toISOString(),
    lastDay: deadline.lastDay,
    dueAt: deadline.dueAt,
    status: 'open',
    ...(rule.assessed === false ? { assessed: false as const } : {}),
    ...(rule.severity ? { severity: rule.severity } : {}),
  };
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * Opens the watch of a duty per calendar month (the rule's period is {@link EACH_CALENDAR_MONTH}):
 * it runs from 00:00 Beijing on the month's first day to 24:00 of its last — a calendar span, so
 * no holiday moves it and no holiday data is needed.
 */
export function openMonthlyWatch(on: { caseId: string; phase: string; jurisdiction: string; caseLabel?: string; caseKind?: 'oversight' }, rule: WatchRule, month: string): DeadlineWatch {
  const m = MONTH_RE.exec(month);
  if (!m || rule.period !== EACH_CALENDAR_MONTH) throw new Error(`rule ${rule.id}: not a monthly duty, or month ${month} is not YYYY-MM`);
  const [year, index] = [Number(m[1]), Number(m[2])];
  const startMs = Date.UTC(year, index - 1, 1) - BEIJING_OFFSET_MS;
  const endMs = Date.UTC(year, index, 1) - BEIJING_OFFSET_MS;
  const lastDay = new Date(Date.UTC(year, index, 0)).toISOString().slice(0, 10);
  return {
    ...on,
    ruleId: rule.id,
    step: rule.step,
    clock: rule.clock,
    period: rule.period,
    responsibleAgency: rule.responsibleAgency,
    escalateTo: [...rule.escalateTo],
    source: rule.source,
    triggeredAt: new Date(startMs).toISOString(),
    lastDay,
    dueAt: new Date(endMs).toISOString(),
    status: 'open',
  };
}

/**
 * The watch re-counted on a corrected holiday calendar, if its due instant changes. Only a watch
 * still open is re-counted: an alert already sent or a step already done stays as it happened. A
 * calendar-month duty counts no holidays: it never changes.
 */
export function recountWatch(watch: DeadlineWatch, calendar: HolidayCalendar): DeadlineWatch | undefined {
  if (watch.status !== 'open' || watch.period === EACH_CALENDAR_MONTH) return undefined;
  const deadline = computeDeadline(watch.period, watch.triggeredAt, calendar);
  if (deadline.dueAt === watch.dueAt) return undefined;
  return { ...watch, lastDay: deadline.lastDay, dueAt: deadline.dueAt };
}

/** Whether `now` is at or past the watch's due instant (24:00 Beijing time of its last day). */
export function isDue(watch: Pick<DeadlineWatch, 'dueAt'>, now: Date): boolean {
  return now.getTime() >= Date.parse(watch.dueAt);
}

export type DueOutcome =
  | { kind: 'already-settled'; watch: DeadlineWatch }
  | { kind: 'not-yet-due'; watch: DeadlineWatch }
  | { kind: 'elapsed'; watch: DeadlineWatch }
  | { kind: 'overdue'; watch: DeadlineWatch };

/**
 * What happens when the workflow's timer for a watch fires. Idempotent: a watch already met,
 * elapsed, cancelled or alerted is left as it is (so a retried or restarted timer never alerts twice).
 */
export function fallDue(watch: DeadlineWatch, now: Date): DueOutcome {
  if (watch.status !== 'open') return { kind: 'already-settled', watch };
  if (!isDue(watch, now)) return { kind: 'not-yet-due', watch };
  if (watch.clock === 'agency-deadline') {
    return { kind: 'overdue', watch: { ...watch, status: 'overdue', alertedAt: now.toISOString() } };
  }
  return { kind: 'elapsed', watch: { ...watch, status: 'elapsed' } };
}

/** The step the watch waits for has happened. A cancelled clock stays cancelled: it no longer runs. */
export function meetWatch(watch: DeadlineWatch, at: Date, by: string): DeadlineWatch {
  if (watch.status === 'met' || watch.status === 'met-late' || watch.status === 'cancelled') return watch;
  const late = watch.status === 'overdue' || isDue(watch, at);
  return { ...watch, status: late ? 'met-late' : 'met', metAt: at.toISOString(), metBy: by };
}

/**
 * The clock stops: the case was suspended, restarted or ended. Only a live watch (open, or
 * overdue and awaiting its step) is cancelled; one already met, elapsed or cancelled is returned
 * as it is. A miss already recorded stays recorded; from now on nothing counts or alerts.
 */
export function cancelWatch(watch: DeadlineWatch, at: Date, reason: string): DeadlineWatch {
  if (!isLive(watch)) return watch;
  return { ...watch, status: 'cancelled', cancelledAt: at.toISOString(), cancelReason: reason };
}

/** A watch the workflow still has to look after (a cancelled one is not). */
export function isLive(watch: DeadlineWatch): boolean {
  return watch.status === 'open' || watch.status === 'overdue';
}

/** The co-accountable agencies a miss of the watch counts against: those recorded before it fell due. */
export function accountableAtDue(watch: Pick<DeadlineWatch, 'accountableAlso' | 'dueAt'>): NonNullable<DeadlineWatch['accountableAlso']> {
  const dueMs = Date.parse(watch.dueAt);
  return (watch.accountableAlso ?? []).filter((a) => Date.parse(a.since) < dueMs);
}

/**
 * The watch with `agency` answering for a miss too, from `at`; undefined when nothing changes: the
 * agency is already named, or `at` is not before the due instant (a later cause does not make the
 * agency answer for a deadline already missed).
 */
export function alsoAccountable(watch: DeadlineWatch, entry: { agency: AgencyId; jurisdiction: string; reason: string }, at: Date): DeadlineWatch | undefined {
  if (isDue(watch, at) || (watch.accountableAlso ?? []).some((a) => a.agency === entry.agency)) return undefined;
  return { ...watch, accountableAlso: [...(watch.accountableAlso ?? []), { ...entry, since: at.toISOString() }] };
}

/**
 * Human wording of a due instant, Beijing time, for messages and documents: 24:00 of the last day
 * for a period of days or months; the exact instant for one of hours (the 2-hour rule).
 */
export function describeDue(watch: Pick<DeadlineWatch, 'lastDay' | 'dueAt'> & { period?: string }): string {
  if (watch.period !== undefined && /^\d+h$/.test(watch.period)) {
    const [date, time] = formatBeijing(watch.dueAt).split('T');
    const [y, m, d] = date!.split('-').map(Number);
    return `${y}年${m}月${d}日${time!.slice(0, 5)}（北京时间）`;
  }
  const [y, m, d] = watch.lastDay.split('-').map(Number);
  return `${y}年${m}月${d}日24时（北京时间，即 ${formatBeijing(watch.dueAt)}）`;
}
