import { HolidayCalendar } from './holiday-calendar.ts';
import type { HolidayYear } from './holiday-year.ts';

/** A holiday year an operator added or corrected, with the version its next correction expects. */
export type StoredHolidayYear = HolidayYear & { version: number };

/** Where operators' holiday years are kept (the cases table in AWS). */
export interface HolidayYearRepository {
  /** Every operator year, validated. */
  list(): Promise<StoredHolidayYear[]>;
  find(year: number): Promise<StoredHolidayYear | undefined>;
  /** A change for the unit of work (`Change` of the case kernel). */
  save(year: HolidayYear, expected: 'absent' | number): { readonly record: string };
}

/**
 * The holiday calendar the functions use: the built-in State Council schedules with the years an
 * operator added or corrected applied on top — so a new year needs no code change and no redeploy.
 * Reads the overrides on every use (one small query; deadlines are computed on rare actions) so a
 * year applies at once; the calendar is rebuilt only when they changed.
 */
export function holidaySource(years: Pick<HolidayYearRepository, 'list'>): () => Promise<HolidayCalendar> {
  let cached: { key: string; calendar: HolidayCalendar } | undefined;
  return async () => {
    const overrides = await years.list();
    const key = overrides.map((y) => `${y.year}@${y.version}`).join(',');
    if (cached?.key !== key) {
      cached = { key, calendar: HolidayCalendar.builtIn().withYears(overrides.map(({ version: _v, ...year }) => year)) };
    }
    return cached.calendar;
  };
}
