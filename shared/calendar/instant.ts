/**
 * Instants in and out of the calendar. Input must carry an explicit offset (or `Z`): a bare
 * local time is ambiguous and is refused rather than guessed.
 */
import { BEIJING_OFFSET_MS, MS_PER_DAY, MS_PER_HOUR, daysFromCivil, daysInMonth, formatDay } from './days.ts';
import { InvalidInstantError } from './errors.ts';

/** An absolute point in time: an ISO 8601 string with offset/`Z`, or a `Date`. */
export type Instant = string | Date;

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The number written by `length` ASCII digits at `at` (the caller has checked they are digits). */
function digits(text: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

/** Milliseconds since the epoch; throws {@link InvalidInstantError}. */
export function toEpochMs(instant: Instant): number {
  if (instant instanceof Date) {
    const ms = instant.getTime();
    if (Number.isNaN(ms)) throw new InvalidInstantError(instant);
    return ms;
  }
  // Parsed by hand: Date.parse accepts offset-less and out-of-range fields that must be refused.
  if (typeof instant !== 'string' || !INSTANT_RE.test(instant)) throw new InvalidInstantError(instant);
  const year = digits(instant, 0, 4);
  const month = digits(instant, 5, 2);
  const day = digits(instant, 8, 2);
  const hour = digits(instant, 11, 2);
  const minute = digits(instant, 14, 2);
  let i = 16;
  let second = 0;
  let millis = 0;
  if (instant[i] === ':') {
    second = digits(instant, i + 1, 2);
    i += 3;
    if (instant[i] === '.') {
      let end = i + 1;
      while (end < instant.length && instant.charCodeAt(end) >= 48 && instant.charCodeAt(end) <= 57) end++;
      const shown = Math.min(end - i - 1, 3);
      millis = digits(instant, i + 1, shown) * 10 ** (3 - shown);
      i = end;
    }
  }
  const zone = instant[i];
  const offsetHours = zone === 'Z' ? 0 : digits(instant, i + 1, 2);
  const offsetMinutes = zone === 'Z' ? 0 : digits(instant, i + 4, 2);
  if (
    month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) ||
    hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59
  ) {
    throw new InvalidInstantError(instant);
  }
  const offsetMs = (zone === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * 60_000 + second * 1000 + millis - offsetMs;
}

/** Day number of the Beijing calendar date of an epoch-ms instant. */
export function beijingDayOf(epochMs: number): number {
  return Math.floor((epochMs + BEIJING_OFFSET_MS) / MS_PER_DAY);
}

/** The instant at which a Beijing day ends (24:00 = next day 00:00 +08:00), in epoch ms. */
export function endOfBeijingDay(dayNumber: number): number {
  return (dayNumber + 1) * MS_PER_DAY - BEIJING_OFFSET_MS;
}

/** Beijing calendar date (`YYYY-MM-DD`) of an instant. */
export function beijingDate(instant: Instant | number): string {
  return formatDay(beijingDayOf(typeof instant === 'number' ? instant : toEpochMs(instant)));
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** ISO 8601 of epoch ms shifted by `offsetMs`, ending in `suffix`; ms shown when `alwaysMs` or non-zero. */
function formatShifted(ms: number, offsetMs: number, suffix: string, alwaysMs: boolean): string {
  const local = ms + offsetMs;
  const day = Math.floor(local / MS_PER_DAY);
  let rest = local - day * MS_PER_DAY;
  const hour = Math.floor(rest / MS_PER_HOUR);
  rest -= hour * MS_PER_HOUR;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const millis = rest - second * 1000;
  const fraction = millis === 0 && !alwaysMs ? '' : `.${String(millis).padStart(3, '0')}`;
  return `${formatDay(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}${fraction}${suffix}`;
}

/**
 * ISO 8601 in Beijing time, e.g. `2026-10-10T00:00:00+08:00`, for messages and documents.
 * Milliseconds are shown only when non-zero, so the text stays exact.
 */
export function formatBeijing(instant: Instant | number): string {
  const ms = typeof instant === 'number' ? instant : toEpochMs(instant);
  if (!Number.isFinite(ms)) throw new InvalidInstantError(instant);
  return formatShifted(ms, BEIJING_OFFSET_MS, '+08:00', false);
}

const MIN_FOUR_DIGIT_YEAR_MS = daysFromCivil(0, 1, 1) * MS_PER_DAY;
const MAX_FOUR_DIGIT_YEAR_MS = daysFromCivil(10_000, 1, 1) * MS_PER_DAY;

/** Same text as `Date.prototype.toISOString` for years 0–9999 (which is slow in hot loops). */
export function formatUtc(ms: number): string {
  // toISOString switches to ±YYYYYY outside 0000–9999; leave those rare years to it.
  if (ms < MIN_FOUR_DIGIT_YEAR_MS || ms >= MAX_FOUR_DIGIT_YEAR_MS) return new Date(ms).toISOString();
  return formatShifted(ms, 0, 'Z', true);
}
