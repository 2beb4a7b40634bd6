/**
 * Deadlines computed the way a Chinese court counts them (Civil Code arts. 200–204):
 * the trigger day is not counted; a month period ends on the corresponding day (or the month's
 * last day); a last day that is a rest day rolls to the first working day after the rest; the
 * last day ends at 24:00 Beijing time. Working-day periods count working days only; hour periods
 * run from the exact instant and never roll.
 */
import { MS_PER_HOUR, addMonths, civilFromDays, formatDay, isWeekend } from './days.ts';
import { DayKind, reasonOf } from './holiday-calendar.ts';
import type { HolidayCalendar, RestReason } from './holiday-calendar.ts';
import { beijingDayOf, endOfBeijingDay, formatBeijing, formatUtc, toEpochMs } from './instant.ts';
import type { Instant } from './instant.ts';
import { checkPeriod, formatPeriod, parsePeriod } from './period.ts';
import type { Period } from './period.ts';

/** A rest day passed over while counting or rolling forward. */
export interface SkippedDay {
  date: string;
  reason: RestReason;
  /** Holiday name when the data gives one, e.g. `国庆节`. */
  name?: string;
}

/** What was counted. Dates are Beijing `YYYY-MM-DD`; for hour periods `from`/`to` are instants. */
export interface CountedSpan {
  unit: 'calendar-day' | 'working-day' | 'month' | 'hour';
  amount: number;
  /** First counted day (the day after the trigger day), or the start instant for hours. */
  from: string;
  /** Last counted day before any roll-forward, or the due instant for hours. */
  to: string;
  /** Working-day periods: Saturdays/Sundays counted because they were adjusted working days. */
  adjustedWorkdays?: string[];
}

export interface DeadlineExplanation {
  /** The counting rule as applied, in Chinese, with its legal basis. */
  rule: string;
  counted: CountedSpan;
  /** Rest days not counted (working days) or rolled over (calendar days and months). */
  skipped: SkippedDay[];
  /** The nominal last day, when it was a rest day and the period rolled forward. */
  rolledForwardFrom?: string;
}

export interface Deadline {
  /** Canonical period text, e.g. `7wd`. */
  period: string;
  /** The trigger instant, ISO UTC. */
  from: string;
  /** Beijing date of the trigger. */
  triggerDay: string;
  /** Beijing date of the period's last day (for hours: the Beijing date of `dueAt`). */
  lastDay: string;
  /** When the period has run out: 24:00 Beijing of `lastDay` (exact instant for hours), ISO UTC. */
  dueAt: string;
  /** `dueAt` in Beijing time, for documents, e.g. `2026-10-14T00:00:00+08:00`. */
  dueAtBeijing: string;
  explanation: DeadlineExplanation;
}

const UNIT_NAMES = { d: 'calendar-day', wd: 'working-day', mo: 'month', h: 'hour' } as const;

/**
 * Computes when `period` runs out for a clock started at `from`.
 * Throws `InvalidPeriodError`, `InvalidInstantError`, or `MissingHolidayDataError` when a date of
 * a year without data would have to be classified (it never guesses).
 */
export function computeDeadline(period: string | Period, from: Instant, calendar: HolidayCalendar): Deadline {
  const p = typeof period === 'string' ? parsePeriod(period) : checkPeriod(period);
  const fromMs = toEpochMs(from);
  const triggerDay = beijingDayOf(fromMs);
  const text = formatPeriod(p);
  const common = { period: text, from: formatUtc(fromMs), triggerDay: formatDay(triggerDay) };

  if (p.unit === 'h') {
    const dueMs = fromMs + p.amount * MS_PER_HOUR;
    const dueAtBeijing = formatBeijing(dueMs);
    const fromBeijing = formatBeijing(fromMs);
    return {
      ...common,
      lastDay: formatDay(beijingDayOf(dueMs)),
      dueAt: formatUtc(dueMs),
      dueAtBeijing,
      explanation: {
        rule: `按小时计算：自 ${fromBeijing} 起算 ${p.amount} 小时，至 ${dueAtBeijing} 届满，不因节假日顺延（《民法典》第二百零一条第二款）`,
        counted: { unit: 'hour', amount: p.amount, from: fromBeijing, to: dueAtBeijing },
        skipped: [],
      },
    };
  }

  const skipped: SkippedDay[] = [];
  let lastDay: number;
  let rule: string;
  let counted: CountedSpan;
  let rolledForwardFrom: string | undefined;
  const firstCounted = formatDay(triggerDay + 1);

  if (p.unit === 'wd') {
    const adjusted: string[] = [];
    let day = triggerDay;
    for (let n = 0; n < p.amount; ) {
      day++;
      const kind = calendar.dayKind(day);
      if (kind === DayKind.work) {
        n++;
        if (isWeekend(day)) adjusted.push(formatDay(day));
      } else {
        skipped.push(skippedDay(calendar, day, kind));
      }
    }
    lastDay = day;
    counted = { unit: 'working-day', amount: p.amount, from: firstCounted, to: formatDay(day), adjustedWorkdays: adjusted };
    rule =
      `按工作日计算：开始的当日（${common.triggerDay}）不计入，自次日起第 ${p.amount} 个工作日为最后一日；` +
      '法定节假日和未调休的周六、周日不计入，调休上班日计入；最后一日截止至二十四时（《民法典》第二百零一条、第二百零三条）';
  } else {
    const nominal = p.unit === 'd' ? triggerDay + p.amount : addMonths(triggerDay, p.amount);
    let day = nominal;
    for (let kind = calendar.dayKind(day); kind !== DayKind.work; kind = calendar.dayKind(++day)) {
      skipped.push(skippedDay(calendar, day, kind));
    }
    lastDay = day;
    const nominalText = formatDay(nominal);
    if (day !== nominal) rolledForwardFrom = nominalText;
    counted = { unit: UNIT_NAMES[p.unit], amount: p.amount, from: firstCounted, to: nominalText };
    const head =
      p.unit === 'd'
        ? `按日计算：开始的当日（${common.triggerDay}）不计入，自 ${firstCounted} 起算 ${p.amount} 日，至 ${nominalText}`
        : `按月计算：开始的当日（${common.triggerDay}）不计入，${p.amount} 个月期间以到期月的对应日为最后一日` +
          `${civilFromDays(nominal).day !== civilFromDays(triggerDay).day ? '（到期月无对应日，以月末日为最后一日）' : ''}，即 ${nominalText}`;
    const roll = rolledForwardFrom
      ? `；该日为法定休假日，以休假日结束的次日 ${formatDay(day)} 为最后一日`
      : '';
    rule = `${head}${roll}；最后一日截止至二十四时（《民法典》第二百零一条至第二百零三条）`;
  }

  const dueMs = endOfBeijingDay(lastDay);
  const explanation: DeadlineExplanation = { rule, counted, skipped };
  if (rolledForwardFrom) explanation.rolledForwardFrom = rolledForwardFrom;
  return {
    ...common,
    lastDay: formatDay(lastDay),
    dueAt: formatUtc(dueMs),
    dueAtBeijing: formatBeijing(dueMs),
    explanation,
  };
}

function skippedDay(calendar: HolidayCalendar, day: number, kind: DayKind): SkippedDay {
  const entry: SkippedDay = { date: formatDay(day), reason: reasonOf(kind) ?? 'weekend' };
  const name = kind === DayKind.holiday ? calendar.nameOfDay(day) : undefined;
  if (name) entry.name = name;
  return entry;
}

/**
 * The last instant of a period (`dueAt` − 1 ms: 23:59:59.999 Beijing of the last day), to use as
 * `from` of a period that starts "when this one expires": counting then starts the next day.
 * Starting from `dueAt` itself would count from one day too late.
 */
export function expiryInstant(deadline: Deadline): string {
  return new Date(Date.parse(deadline.dueAt) - 1).toISOString();
}
