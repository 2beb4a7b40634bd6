/**
 * Property tests against a deliberately naive oracle: it steps through `Date` objects one day at a
 * time and reads the same holiday data (the calendar's HolidayYear records) through plain string
 * Sets — no code shared with the implementation's day-number path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HolidayCalendar, MissingHolidayDataError, computeDeadline } from './index.ts';
import type { Period, PeriodUnit } from './index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const cal = HolidayCalendar.builtIn();

class OracleMissingYear extends Error {
  readonly year: number;
  constructor(year: number) {
    super(`oracle: no data for ${year}`);
    this.year = year;
  }
}

interface OracleResult {
  lastDay: string;
  dueAtMs: number;
  /** Years whose dates were classified. */
  touched: Set<number>;
}

function makeOracle(calendar: HolidayCalendar) {
  const years = new Set(calendar.years());
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const y of years) {
    for (const h of calendar.year(y)?.holidays ?? []) holidays.add(h.date);
    for (const w of calendar.year(y)?.workdays ?? []) workdays.add(w.date);
  }
  const ymd = (d: Date) => d.toISOString().slice(0, 10);
  const nextDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));

  return (period: Period, fromMs: number): OracleResult => {
    const touched = new Set<number>();
    // A Date at UTC midnight stands for a Beijing calendar date.
    const isWorking = (d: Date): boolean => {
      const y = d.getUTCFullYear();
      touched.add(y);
      if (!years.has(y)) throw new OracleMissingYear(y);
      if (workdays.has(ymd(d))) return true;
      if (holidays.has(ymd(d))) return false;
      return d.getUTCDay() !== 0 && d.getUTCDay() !== 6;
    };
    if (period.unit === 'h') {
      const dueAtMs = fromMs + period.amount * HOUR;
      return { dueAtMs, lastDay: ymd(new Date(dueAtMs + 8 * HOUR)), touched };
    }
    const local = new Date(fromMs + 8 * HOUR);
    const trigger = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()));
    let last = trigger;
    if (period.unit === 'wd') {
      for (let n = 0; n < period.amount; ) {
        last = nextDay(last);
        if (isWorking(last)) n++;
      }
    } else {
      if (period.unit === 'd') {
        for (let i = 0; i < period.amount; i++) last = nextDay(last);
      } else {
        const y = trigger.getUTCFullYear();
        const m = trigger.getUTCMonth() + period.amount;
        const monthLength = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
        last = new Date(Date.UTC(y, m, Math.min(trigger.getUTCDate(), monthLength)));
      }
      while (!isWorking(last)) last = nextDay(last);
    }
    return { lastDay: ymd(last), dueAtMs: nextDay(last).getTime() - 8 * HOUR, touched };
  };
}

const oracle = makeOracle(cal);

/** The instant written with a given UTC offset, as an operator's system might send it. */
function isoWithOffset(ms: number, offsetMinutes: number): string {
  if (offsetMinutes === 0) return new Date(ms).toISOString();
  const wall = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${wall}${offsetMinutes < 0 ? '-' : '+'}${hh}:${mm}`;
}

const periodArb = (max: Record<PeriodUnit, number>) =>
  fc.oneof(
    ...(['d', 'wd', 'mo', 'h'] as const).map((unit) =>
      fc.integer({ min: 1, max: max[unit] }).map((amount): Period => ({ amount, unit })),
    ),
  );
const anyPeriod = periodArb({ d: 400, wd: 250, mo: 36, h: 5000 });
const dayPeriod = periodArb({ d: 400, wd: 250, mo: 36, h: 1 }).filter((p) => p.unit !== 'h');
const offsetArb = fc.constantFrom(0, 480, -300, 330, 345, -600, 840);
/** Instants from mid-2003 to early 2027: mostly inside the data, sometimes outside it. */
const anyInstant = fc.integer({ min: Date.UTC(2003, 6, 1), max: Date.UTC(2027, 2, 1) });
/** Instants well inside the data, for properties that compare two results. */
const coveredInstant = fc.integer({ min: Date.UTC(2004, 0, 2), max: Date.UTC(2023, 11, 31) });
const smallPeriod = periodArb({ d: 200, wd: 150, mo: 24, h: 2000 });

type Outcome = { ok: true; lastDay: string; dueAtMs: number } | { ok: false; year: number };

function run(period: Period, from: string, calendar = cal): Outcome {
  try {
    const d = computeDeadline(period, from, calendar);
    return { ok: true, lastDay: d.lastDay, dueAtMs: Date.parse(d.dueAt) };
  } catch (error) {
    if (error instanceof MissingHolidayDataError) return { ok: false, year: error.year };
    throw error;
  }
}

function runOracle(period: Period, fromMs: number, o = oracle): Outcome {
  try {
    const r = o(period, fromMs);
    return { ok: true, lastDay: r.lastDay, dueAtMs: r.dueAtMs };
  } catch (error) {
    if (error instanceof OracleMissingYear) return { ok: false, year: error.year };
    throw error;
  }
}

function dueMs(period: Period, fromMs: number): number {
  return Date.parse(computeDeadline(period, new Date(fromMs), cal).dueAt);
}

describe('computeDeadline properties', () => {
  it('equals the naive oracle, including which year is missing', () => {
    fc.assert(
      fc.property(anyPeriod, anyInstant, offsetArb, (period, ms, offset) => {
        expect(run(period, isoWithOffset(ms, offset))).toEqual(runOracle(period, ms));
      }),
      { numRuns: 2000 },
    );
  });

  it('a later trigger never gives an earlier due instant', () => {
    fc.assert(
      fc.property(smallPeriod, coveredInstant, coveredInstant, (period, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(dueMs(period, early)).toBeLessThanOrEqual(dueMs(period, late));
      }),
      { numRuns: 500 },
    );
  });

  it('every day-based period ends on a working day', () => {
    fc.assert(
      fc.property(dayPeriod, anyInstant, (period, ms) => {
        const out = run(period, new Date(ms).toISOString());
        if (out.ok) expect(cal.isWorkingDay(out.lastDay)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('N+1 never ends before N', () => {
    fc.assert(
      fc.property(smallPeriod, coveredInstant, (period, ms) => {
        const longer = { ...period, amount: period.amount + 1 };
        expect(dueMs(longer, ms)).toBeGreaterThanOrEqual(dueMs(period, ms));
      }),
      { numRuns: 500 },
    );
  });

  it('an hour period is exact: dueAt − from = N hours, with or without data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }), offsetArb, (n, ms, offset) => {
        const d = computeDeadline({ amount: n, unit: 'h' }, isoWithOffset(ms, offset), HolidayCalendar.empty());
        expect(Date.parse(d.dueAt) - Date.parse(d.from)).toBe(n * HOUR);
        expect(Date.parse(d.from)).toBe(ms);
      }),
      { numRuns: 500 },
    );
  });

  it('a period that needs a year without data always fails naming that year; otherwise nothing changes', () => {
    const withoutYear = new Map<number, HolidayCalendar>();
    fc.assert(
      fc.property(
        fc.integer({ min: 2006, max: 2023 }),
        smallPeriod,
        fc.integer({ min: -400, max: 400 }),
        fc.integer({ min: 0, max: DAY - 1 }),
        (year, period, dayOffset, msOfDay) => {
          let reduced = withoutYear.get(year);
          if (!reduced) {
            reduced = cal.withoutYears([year]);
            withoutYear.set(year, reduced);
          }
          const fromMs = Date.UTC(year, 0, 1) - 8 * HOUR + dayOffset * DAY + msOfDay;
          const from = new Date(fromMs).toISOString();
          const needed = oracle(period, fromMs).touched.has(year);
          const out = run(period, from, reduced);
          if (needed) expect(out).toEqual({ ok: false, year });
          else expect(out).toEqual(run(period, from));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
