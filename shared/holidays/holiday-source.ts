import { HolidayCalendar, parseHolidayYears, type HolidayYear } from '../calendar/index.ts';
import type { CaseStore, Item } from '../store/case-store.ts';

/**
 * The holiday calendar the functions use: the built-in State Council schedules, with the years an
 * operator added or corrected through the audited admin endpoint (stored in the cases table)
 * applied on top — so a new year needs no code change and no redeploy.
 */
export const CALENDAR_PK = 'CALENDAR';
export const calendarYearSk = (year: number) => `YEAR#${year}`;

/**
 * Reads the overrides on every use (one small query; deadlines are computed on rare actions) so a
 * year an operator adds applies at once; the calendar is rebuilt only when they changed.
 */
export function holidaySource(store: CaseStore): () => Promise<HolidayCalendar> {
  let cached: { key: string; calendar: HolidayCalendar } | undefined;
  return async () => {
    const items = await store.query(CALENDAR_PK, 'YEAR#');
    const key = items.map((i) => `${i.sk}@${i.version ?? 0}`).join(',');
    if (cached?.key !== key) {
      cached = { key, calendar: HolidayCalendar.builtIn().withYears(parseHolidayYears(items.map(yearOf), 'operator overrides')) };
    }
    return cached.calendar;
  };
}

export async function readOverrides(store: CaseStore): Promise<HolidayYear[]> {
  const items = await store.query(CALENDAR_PK, 'YEAR#');
  return parseHolidayYears(items.map(yearOf), 'operator overrides');
}

export function yearItem(year: HolidayYear): Item {
  return { pk: CALENDAR_PK, sk: calendarYearSk(year.year), type: 'holiday-year', ...year };
}

function yearOf(item: Item): unknown {
  const { pk: _pk, sk: _sk, type: _type, version: _version, ...year } = item;
  return year;
}
