import { HolidayCalendar, parseHolidayYears, type HolidayYear } from '../calendar/index.ts';
import type { CaseStore, Item } from '../store/case-store.ts';

/**
 * The holiday calendar the functions use: the built-in State Council schedules, with the years an
 * operator added or corrected through the audited admin endpoint (stored in the cases table)
 * applied on top — so a new year needs no code change and no redeploy.
 */
export const CALENDAR_PK = 'CALENDAR';
export const calendarYearSk = (year: number) => `YEAR#${year}`;

/** How long a function keeps the overrides before reading them again. */
const CACHE_MS = 60_000;

export function holidaySource(store: CaseStore, nowMs: () => number = Date.now): () => Promise<HolidayCalendar> {
  let cached: { at: number; calendar: HolidayCalendar } | undefined;
  return async () => {
    if (cached && nowMs() - cached.at < CACHE_MS) return cached.calendar;
    const overrides = await readOverrides(store);
    cached = { at: nowMs(), calendar: HolidayCalendar.builtIn().withYears(overrides) };
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
