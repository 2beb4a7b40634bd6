/**
 * Which Beijing dates are working days, from the State Council's yearly schedules.
 * Immutable: {@link HolidayCalendar.withYears} returns a new calendar.
 */
import { builtInYears } from './built-in.ts';
import { daysFromCivil, isWeekend, parseDay, yearOfDay } from './days.ts';
import { InvalidDateError, MissingHolidayDataError } from './errors.ts';
import { holidayYearSchema, parseHolidayYears } from './holiday-year.ts';
import type { HolidayYear, HolidayYearInput } from './holiday-year.ts';

/** Why a date is not a working day. */
export type RestReason = 'holiday' | 'weekend';

/** Classification of a day in the lookup table. */
export const DayKind = { work: 0, weekend: 1, holiday: 2, noData: 3 } as const;
export type DayKind = (typeof DayKind)[keyof typeof DayKind];

let builtIn: HolidayCalendar | undefined;

export class HolidayCalendar {
  /** The zod schema a {@link HolidayYear} is validated with (also exported as `holidayYearSchema`). */
  static readonly schema = holidayYearSchema;

  readonly #years: ReadonlyMap<number, HolidayYear>;
  /** Day number of Jan 1 of the first covered year; index 0 of {@link #kinds}. */
  readonly #firstDay: number;
  /** One entry per day from the first to the last covered year; gaps hold `noData`. */
  readonly #kinds: Uint8Array;
  readonly #names: ReadonlyMap<number, string>;

  private constructor(years: ReadonlyMap<number, HolidayYear>) {
    this.#years = years;
    const sorted = [...years.keys()].sort((a, b) => a - b);
    const first = sorted[0];
    const last = sorted[sorted.length - 1];
    if (first === undefined || last === undefined) {
      this.#firstDay = 0;
      this.#kinds = new Uint8Array(0);
      this.#names = new Map();
      return;
    }
    this.#firstDay = daysFromCivil(first, 1, 1);
    const kinds = new Uint8Array(daysFromCivil(last + 1, 1, 1) - this.#firstDay).fill(DayKind.noData);
    const names = new Map<number, string>();
    for (const data of years.values()) {
      const start = daysFromCivil(data.year, 1, 1) - this.#firstDay;
      const end = daysFromCivil(data.year + 1, 1, 1) - this.#firstDay;
      for (let i = start; i < end; i++) kinds[i] = isWeekend(i + this.#firstDay) ? DayKind.weekend : DayKind.work;
      for (const { date, name } of data.holidays) {
        const day = parseDay(date) as number;
        kinds[day - this.#firstDay] = DayKind.holiday;
        if (name) names.set(day, name);
      }
      for (const { date } of data.workdays) kinds[(parseDay(date) as number) - this.#firstDay] = DayKind.work;
    }
    this.#kinds = kinds;
    this.#names = names;
  }

  /** The schedules shipped with the code (from `chinese-days`); built once, then shared. */
  static builtIn(): HolidayCalendar {
    builtIn ??= HolidayCalendar.empty().withYears(builtInYears());
    return builtIn;
  }

  /** A calendar that knows no year: every day-based computation fails until years are added. */
  static empty(): HolidayCalendar {
    return new HolidayCalendar(new Map());
  }

  /**
   * A calendar with `years` added, each replacing any year of the same number whole.
   * Every year is validated; throws `InvalidHolidayDataError`.
   */
  withYears(years: readonly HolidayYearInput[], origin?: string): HolidayCalendar {
    const merged = new Map(this.#years);
    for (const year of parseHolidayYears(years, origin)) merged.set(year.year, year);
    return new HolidayCalendar(merged);
  }

  /** A calendar without the given years (e.g. to withdraw a wrong schedule). */
  withoutYears(years: readonly number[]): HolidayCalendar {
    const kept = new Map(this.#years);
    for (const year of years) kept.delete(year);
    return new HolidayCalendar(kept);
  }

  /** Covered years, ascending. */
  years(): number[] {
    return [...this.#years.keys()].sort((a, b) => a - b);
  }

  /** The schedule of one year, if covered. */
  year(year: number): HolidayYear | undefined {
    return this.#years.get(year);
  }

  hasYear(year: number): boolean {
    return this.#years.has(year);
  }

  /** True for Monday–Friday that are not holidays, and for adjusted working weekend days. */
  isWorkingDay(date: string): boolean {
    return this.dayKind(toDay(date)) === DayKind.work;
  }

  /** Why `date` is a rest day, or undefined on a working day. */
  restReason(date: string): RestReason | undefined {
    return reasonOf(this.dayKind(toDay(date)));
  }

  /** Name of the holiday on `date` (e.g. `国庆节`), when the data names it. */
  holidayName(date: string): string | undefined {
    const day = toDay(date);
    return this.dayKind(day) === DayKind.holiday ? this.#names.get(day) : undefined;
  }

  /**
   * Low-level lookup by day number (days since 1970-01-01, Beijing date); never `noData`.
   * Throws {@link MissingHolidayDataError} for a day of an uncovered year.
   */
  dayKind(day: number): Exclude<DayKind, typeof DayKind.noData> {
    const kind = this.#kinds[day - this.#firstDay];
    if (kind === undefined || kind === DayKind.noData) throw new MissingHolidayDataError(yearOfDay(day));
    return kind as Exclude<DayKind, typeof DayKind.noData>;
  }

  /** Holiday name by day number, for explanations. */
  nameOfDay(day: number): string | undefined {
    return this.#names.get(day);
  }
}

/** Maps a day kind to the reason it is a rest day. */
export function reasonOf(kind: DayKind): RestReason | undefined {
  return kind === DayKind.holiday ? 'holiday' : kind === DayKind.weekend ? 'weekend' : undefined;
}

function toDay(date: string): number {
  const day = typeof date === 'string' ? parseDay(date) : undefined;
  if (day === undefined) throw new InvalidDateError(date);
  return day;
}
