/**
 * The arithmetic behind the city screens (dashboard, holiday years, alerts), kept apart from the
 * views so that it is unit-tested: Beijing periods on the server's clock, the holiday years that
 * deadlines can reach, date ranges expanded into days, basis points as percentages.
 */

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/**
 * How far ahead a missing holiday year matters: the longest common period (45 days) and more —
 * the same look-ahead `npm start` warns with (infra/local/start.ts).
 */
export const HOLIDAY_LOOKAHEAD_MS = 120 * DAY_MS;

/** The Beijing calendar day of an instant, `2026-10-02`. */
export function beijingDay(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The scorecard periods containing an instant: its Beijing month (`2026-10`) and year (`2026`). */
export function scorecardPeriods(ms: number): { month: string; year: string } {
  const day = beijingDay(ms);
  return { month: day.slice(0, 7), year: day.slice(0, 4) };
}

/** The years deadlines counted now can end in: this Beijing year and the one 120 days ahead. */
export function yearsDeadlinesReach(nowMs: number): number[] {
  const yearOf = (ms: number) => Number(beijingDay(ms).slice(0, 4));
  return [...new Set([yearOf(nowMs), yearOf(nowMs + HOLIDAY_LOOKAHEAD_MS)])];
}

/** Of the years deadlines reach, those without holiday data (in order). */
export function missingHolidayYears(nowMs: number, covered: readonly { year: number }[]): number[] {
  const have = new Set(covered.map((y) => y.year));
  return yearsDeadlinesReach(nowMs).filter((year) => !have.has(year));
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const dayMs = (day: string): number | undefined => {
  if (!DAY_PATTERN.test(day)) return undefined;
  const ms = Date.parse(`${day}T00:00:00Z`);
  // Date.parse rolls 2027-02-30 over to March: a real day prints back as itself.
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day ? undefined : ms;
};

/** A named range of rest days as the form holds it (a single day when `to` is empty). */
export interface HolidayRange {
  name: string;
  from: string;
  to: string;
}

/** A Saturday or Sunday made a working day (调休上班). */
export interface WorkdaySwap {
  name: string;
  date: string;
}

export type HolidayEntry = { date: string; name?: string };

/**
 * The form's rows as the body of `PUT /calendar/years/{year}`: each range expanded into its days
 * (weekend days inside a holiday block included, as the notice lists them). Problems the form can
 * see are returned in Chinese, row by row; the server checks everything again.
 */
export function holidayYearBody(
  year: number,
  ranges: readonly HolidayRange[],
  swaps: readonly WorkdaySwap[],
  source: string,
  updatedAt: string,
): { body: { year: number; holidays: HolidayEntry[]; workdays: HolidayEntry[]; source: string; updatedAt: string }; problems: string[] } {
  const problems: string[] = [];
  const holidays: HolidayEntry[] = [];
  const named = (date: string, name: string): HolidayEntry => (name.trim() ? { date, name: name.trim() } : { date });
  ranges.forEach((range, index) => {
    const row = `第 ${index + 1} 段假期`;
    const from = dayMs(range.from);
    const to = range.to ? dayMs(range.to) : from;
    if (from === undefined || to === undefined) {
      problems.push(`${row}：请填写有效的起止日期`);
      return;
    }
    if (to < from) {
      problems.push(`${row}：结束日期早于开始日期`);
      return;
    }
    if (to - from > 31 * DAY_MS) {
      problems.push(`${row}：一段假期不超过 31 天`);
      return;
    }
    for (let ms = from; ms <= to; ms += DAY_MS) holidays.push(named(new Date(ms).toISOString().slice(0, 10), range.name));
  });
  const workdays: HolidayEntry[] = [];
  swaps.forEach((swap, index) => {
    const ms = dayMs(swap.date);
    if (ms === undefined) {
      problems.push(`第 ${index + 1} 个调休上班日：请填写有效日期`);
      return;
    }
    const weekday = new Date(ms).getUTCDay();
    if (weekday !== 0 && weekday !== 6) problems.push(`第 ${index + 1} 个调休上班日：${swap.date} 不是周六或周日`);
    workdays.push(named(swap.date, swap.name));
  });
  for (const entry of [...holidays, ...workdays]) {
    if (!entry.date.startsWith(`${year}-`)) problems.push(`${entry.date} 不在 ${year} 年内`);
  }
  if (holidays.length === 0) problems.push('至少须有一个节假日');
  if (!source.trim()) problems.push('请填写通知名称及文号');
  return { body: { year, holidays, workdays, source: source.trim(), updatedAt }, problems };
}

/** `6.67%` from basis points (667), exactly. */
export function formatBasisPoints(bp: number): string {
  return `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;
}

/**
 * Merges a poll's answer into the list held, each alert once (a poll reads back over a margin, so
 * it sees again what it has), newest first by `atOf`; returns the merged list and how many were new.
 */
export function mergeNewest<T>(held: readonly T[], arrived: readonly T[], idOf: (item: T) => string, atOf: (item: T) => string): { items: T[]; added: number } {
  const known = new Set(held.map(idOf));
  const fresh = arrived.filter((item) => !known.has(idOf(item)));
  const items = [...fresh, ...held].sort((a, b) => Date.parse(atOf(b)) - Date.parse(atOf(a)));
  return { items, added: fresh.length };
}

/** Counts per key, in the order keys are first met. */
export function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}
