import { AGENCY_IDS, type AgencyId } from '../../../shared/agencies.ts';
import { beijingDate, MS_PER_HOUR } from '../../../shared/calendar/index.ts';
import type { MetRecord, OverdueRecord } from '../../../shared/cases/ports.ts';
import type { WatchStatus } from '../../../shared/deadlines/watch.ts';
import { ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';

/**
 * The performance scorecard (seed §四(三)): per agency and jurisdiction, over a Beijing calendar
 * month or year, what its deadlines came to — computed from the worker's met and overdue records,
 * never typed in. The deduction of work funds is a rate the leading group office sets (data); the
 * scorecard shows the share it comes to for each row: rate × missed ÷ judged.
 *
 * Integer arithmetic only: hours are whole (rounded up), shares are basis points rounded half up.
 */

export type ScorecardPeriod = { kind: 'month'; value: string } | { kind: 'year'; value: string };

/** The highest rate: the whole of the work funds (10000 bp = 100 %). */
export const MAX_DEDUCTION_RATE_BP = 10_000;

/** An overdue record with what became of its watch since: met late, still overdue, or stopped. */
export type JudgedOverdue = OverdueRecord & { status: WatchStatus; metAt?: string; cancelledAt?: string };

export interface ScorecardInput {
  period: ScorecardPeriod;
  met: readonly MetRecord[];
  overdue: readonly JudgedOverdue[];
  deductionRateBp: number;
  now: Date;
}

export interface ScorecardCounts {
  /** Deadlines of the period judged: met + missed. */
  judged: number;
  /** Met before they fell due. */
  met: number;
  /** Missed (whatever became of them since). */
  missed: number;
  /** Missed, then met late. */
  missedThenMet: number;
  /** Missed and still unmet. */
  openOverdue: number;
  /** Hours past the due instant (to the late step, or to now while unmet), each rounded up, summed. */
  latenessHoursTotal: number;
  latenessHoursMax: number;
  /** Joint-meeting resolutions done late or not yet (`resolution/…`). */
  resolutionsLate: number;
  /** Incidents whose leaders missed the 2-hour arrival (`emergency-on-site/…`). */
  onSiteMissed: number;
  /** Months without the monthly joint meeting (`joint-meeting/…`). */
  meetingMonthsMissed: number;
  /** Supervision assignments done late or not yet (`assignment/…`). */
  assignmentsLate: number;
  /** rate × missed ÷ judged, in basis points, rounded half up; 0 when nothing was judged. */
  deductionShareBp: number;
}

export type ScorecardRow = { agency: AgencyId; jurisdiction: string } & ScorecardCounts;

export interface Scorecard {
  period: ScorecardPeriod;
  rows: ScorecardRow[];
  totals: ScorecardCounts;
}

/** `2026-10` (a month) or `2026` (a year), as the route takes it; anything else is a 400. */
export function parseScorecardPeriod(text: string): ScorecardPeriod {
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month && Number(month[2]) >= 1 && Number(month[2]) <= 12) return { kind: 'month', value: text };
  if (/^\d{4}$/.test(text)) return { kind: 'year', value: text };
  throw new ValidationError('scorecard.period-invalid', `考核期间应为年月（如 2026-10）或年份（如 2026）：${text}`);
}

/** `2026年10月` / `2026年`. */
export function periodTextZh(period: ScorecardPeriod): string {
  return period.kind === 'year' ? `${period.value}年` : `${period.value.slice(0, 4)}年${Number(period.value.slice(5, 7))}月`;
}

export function checkDeductionRate(deductionRateBp: number): number {
  if (!Number.isSafeInteger(deductionRateBp) || deductionRateBp < 0 || deductionRateBp > MAX_DEDUCTION_RATE_BP) {
    throw new ValidationError('scorecard.rate-invalid', `扣减比例应为 0 至 ${MAX_DEDUCTION_RATE_BP} 个基点（0%–100%）的整数：${deductionRateBp}`);
  }
  return deductionRateBp;
}

/** A record is the period's when its due instant falls in it on the Beijing calendar. */
export function inPeriod(dueAt: string, period: ScorecardPeriod): boolean {
  const day = beijingDate(dueAt);
  return period.kind === 'year' ? day.slice(0, 4) === period.value : day.slice(0, 7) === period.value;
}

export function computeScorecard(input: ScorecardInput): Scorecard {
  const rate = checkDeductionRate(input.deductionRateBp);
  const nowMs = input.now.getTime();
  const tallies = new Map<string, { agency: AgencyId; jurisdiction: string; counts: Omit<ScorecardCounts, 'judged' | 'deductionShareBp'> }>();
  const tallyOf = (agency: AgencyId, jurisdiction: string) => {
    const key = `${agency}\u0000${jurisdiction}`;
    let tally = tallies.get(key);
    if (!tally) {
      tally = { agency, jurisdiction, counts: emptyCounts() };
      tallies.set(key, tally);
    }
    return tally.counts;
  };

  for (const record of input.met) {
    if (inPeriod(record.dueAt, input.period)) tallyOf(record.agency, record.jurisdiction).met += 1;
  }
  for (const record of input.overdue) {
    if (!inPeriod(record.dueAt, input.period)) continue;
    const counts = tallyOf(record.agency, record.jurisdiction);
    counts.missed += 1;
    if (record.status === 'met-late') counts.missedThenMet += 1;
    if (record.status === 'overdue') counts.openOverdue += 1;
    const hours = latenessHours(record, nowMs);
    counts.latenessHoursTotal += hours;
    counts.latenessHoursMax = Math.max(counts.latenessHoursMax, hours);
    if (record.ruleId.startsWith('resolution/')) counts.resolutionsLate += 1;
    if (record.ruleId.startsWith('emergency-on-site/')) counts.onSiteMissed += 1;
    if (record.ruleId.startsWith('joint-meeting/')) counts.meetingMonthsMissed += 1;
    if (record.ruleId.startsWith('assignment/')) counts.assignmentsLate += 1;
  }

  const agencyOrder = (agency: AgencyId) => AGENCY_IDS.indexOf(agency);
  const rows = [...tallies.values()]
    .sort((a, b) => agencyOrder(a.agency) - agencyOrder(b.agency) || (a.jurisdiction < b.jurisdiction ? -1 : a.jurisdiction > b.jurisdiction ? 1 : 0))
    .map(({ agency, jurisdiction, counts }) => ({ agency, jurisdiction, ...finish(counts, rate) }));
  const sum = emptyCounts();
  for (const row of rows) {
    for (const field of SUMMED) sum[field] += row[field];
    sum.latenessHoursMax = Math.max(sum.latenessHoursMax, row.latenessHoursMax);
  }
  return { period: input.period, rows, totals: finish(sum, rate) };
}

const SUMMED = ['met', 'missed', 'missedThenMet', 'openOverdue', 'latenessHoursTotal', 'resolutionsLate', 'onSiteMissed', 'meetingMonthsMissed', 'assignmentsLate'] as const;

function emptyCounts(): Omit<ScorecardCounts, 'judged' | 'deductionShareBp'> {
  return { met: 0, missed: 0, missedThenMet: 0, openOverdue: 0, latenessHoursTotal: 0, latenessHoursMax: 0, resolutionsLate: 0, onSiteMissed: 0, meetingMonthsMissed: 0, assignmentsLate: 0 };
}

function finish(counts: Omit<ScorecardCounts, 'judged' | 'deductionShareBp'>, rateBp: number): ScorecardCounts {
  const judged = counts.met + counts.missed;
  return { judged, ...counts, deductionShareBp: judged === 0 ? 0 : divideHalfUp(rateBp * counts.missed, judged) };
}

/**
 * How late a miss is, in whole hours rounded up: to the late step; while unmet, to now; for a
 * clock stopped (the case suspended or ended) while overdue, to when it stopped.
 */
function latenessHours(record: JudgedOverdue, nowMs: number): number {
  const endedAt = record.status === 'met-late' ? record.metAt : record.status === 'cancelled' ? record.cancelledAt : undefined;
  const endMs = endedAt === undefined ? nowMs : Date.parse(endedAt);
  const lateMs = Math.max(0, endMs - Date.parse(record.dueAt));
  const rest = lateMs % MS_PER_HOUR;
  return (lateMs - rest) / MS_PER_HOUR + (rest > 0 ? 1 : 0);
}

/** numerator ÷ denominator rounded half up, for non-negative integers (exact: no binary fractions). */
function divideHalfUp(numerator: number, denominator: number): number {
  const twice = 2 * numerator + denominator;
  return (twice - (twice % (2 * denominator))) / (2 * denominator);
}

/**
 * The leading group office's deduction rate: basis points of an agency's work funds deducted when
 * every judged deadline of the period is missed (data it sets, not logic).
 */
export interface ScorecardSettings {
  deductionRateBp: number;
  updatedBy: Identity;
  updatedAt: string;
}

/** The scorecard as it is answered and exported: the computation, the rate it used, and when. */
export interface ScorecardView extends Scorecard {
  deductionRateBp: number;
  generatedAt: string;
}
