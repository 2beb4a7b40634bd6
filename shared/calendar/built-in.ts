/**
 * The built-in schedules, taken from the raw data of the npm package `chinese-days`.
 *
 * That package's own API answers "workday" for any weekday of a year it lacks, so it is never
 * asked anything: its raw date lists are regrouped into one {@link HolidayYear} per calendar year,
 * and only years whose schedule is really there are kept.
 */
import raw from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import pkg from 'chinese-days/package.json' with { type: 'json' };
import type { HolidayYearInput } from './holiday-year.ts';

/** The package's entries read `English name,中文名,days`, e.g. `National Day,国庆节,3`. */
interface RawSchedule {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** Release date of the installed `chinese-days` version: the `updatedAt` of built-in years. */
export const BUILT_IN_SNAPSHOT = {
  package: 'chinese-days',
  version: pkg.version,
  // Update together with the package (npm view chinese-days time); a test pins the version.
  releasedAt: '2026-05-08',
} as const;

function chineseName(description: string): string | undefined {
  return description.split(',')[1]?.trim() || undefined;
}

/**
 * A year counts as covered only when its National Day holiday is in the data: every notice
 * schedules National Day, while a neighbouring notice can leak a stray date into a year
 * (the 2023 notice put 2022-12-31 off), which must not pass for that year's schedule.
 */
function isCovered(entries: ReadonlyArray<{ date: string; name?: string }>): boolean {
  return entries.some((e) => e.name === '国庆节' && e.date.slice(5, 7) === '10');
}

/** The built-in years, one per calendar year, in order. */
export function builtInYears(): HolidayYearInput[] {
  const data: RawSchedule = raw;
  const byYear = new Map<number, { holidays: { date: string; name?: string }[]; workdays: { date: string; name?: string }[] }>();
  const bucket = (date: string) => {
    const year = Number(date.slice(0, 4));
    let entry = byYear.get(year);
    if (!entry) {
      entry = { holidays: [], workdays: [] };
      byYear.set(year, entry);
    }
    return entry;
  };
  for (const [date, description] of Object.entries(data.holidays)) {
    bucket(date).holidays.push({ date, name: chineseName(description) });
  }
  for (const [date, description] of Object.entries(data.workdays)) {
    bucket(date).workdays.push({ date, name: chineseName(description) });
  }
  const byDate = (a: { date: string }, b: { date: string }) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  return [...byYear]
    .filter(([, lists]) => isCovered(lists.holidays))
    .sort(([a], [b]) => a - b)
    .map(([year, lists]) => ({
      year,
      holidays: lists.holidays.sort(byDate),
      workdays: lists.workdays.sort(byDate),
      source: `国务院办公厅关于${year}年部分节假日安排的通知（数据：${BUILT_IN_SNAPSHOT.package}@${BUILT_IN_SNAPSHOT.version}）`,
      updatedAt: BUILT_IN_SNAPSHOT.releasedAt,
    }));
}
