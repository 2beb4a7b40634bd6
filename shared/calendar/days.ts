/**
 * Integer day arithmetic. A *day number* is the count of days since 1970-01-01 for a calendar
 * date with no time zone attached; the calendar works on Beijing dates as day numbers so its hot
 * loops never touch `Date`.
 */

export const MS_PER_DAY = 86_400_000;
export const MS_PER_HOUR = 3_600_000;
/** Beijing time is UTC+8 all year (no daylight saving since 1991). */
export const BEIJING_OFFSET_MS = 8 * MS_PER_HOUR;

export interface CivilDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

/** Day number of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Inverse of {@link daysFromCivil}. */
export function civilFromDays(dayNumber: number): CivilDate {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isWeekend(dayNumber: number): boolean {
  const w = weekday(dayNumber);
  return w === 0 || w === 6;
}

export function yearOfDay(dayNumber: number): number {
  return civilFromDays(dayNumber).year;
}

/** The day `months` calendar months after `dayNumber`, clamped to the end of a shorter month. */
export function addMonths(dayNumber: number, months: number): number {
  const { year, month, day } = civilFromDays(dayNumber);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return daysFromCivil(y, m, Math.min(day, daysInMonth(y, m)));
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

// Deadlines format the same few thousand dates over and over; a bounded cache makes that free.
const DAY_TEXT_CACHE_LIMIT = 50_000;
const dayTextCache = new Map<number, string>();

/** `YYYY-MM-DD` of a day number. */
export function formatDay(dayNumber: number): string {
  let text = dayTextCache.get(dayNumber);
  if (text === undefined) {
    const { year, month, day } = civilFromDays(dayNumber);
    text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
    if (dayTextCache.size >= DAY_TEXT_CACHE_LIMIT) dayTextCache.clear();
    dayTextCache.set(dayNumber, text);
  }
  return text;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a strict `YYYY-MM-DD`, or undefined when the text is not a real date. */
export function parseDay(text: string): number | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}
