import { describe, expect, it } from 'vitest';
import {
  HolidayCalendar,
  MissingHolidayDataError,
  computeDeadline,
  expiryInstant,
  type HolidayYearInput,
} from './index.ts';

const cal = HolidayCalendar.builtIn();
const due = (period: string, from: string, calendar = cal) => computeDeadline(period, from, calendar);

/** Illustrative 2027 data (NOT the real schedule): New Year Jan 1–3 off. */
const fake2027: HolidayYearInput = {
  year: 2027,
  holidays: ['2027-01-01', '2027-01-02', '2027-01-03'],
  workdays: [],
  source: 'test fixture, not the real schedule',
  updatedAt: '2026-11-05',
};

describe('2026 National Day', () => {
  // State Council 2026 notice (gov.cn/zhengce/zhengceku/202511/content_7047091.htm): National Day Oct 1 (Thu)–7 (Wed)
  // off; Sep 20 (Sun) and Oct 10 (Sat) working. Mid-Autumn Sep 25 (Fri)–27 (Sun) off.
  it('7wd from Monday 2026-09-28 10:00 skips the holiday and counts the adjusted Saturday', () => {
    const d = due('7wd', '2026-09-28T10:00:00+08:00');
    // Sep 29, Sep 30, Oct 8, Oct 9, Oct 10 (Sat, adjusted), Oct 12, Oct 13
    expect(d.lastDay).toBe('2026-10-13');
    expect(d.dueAt).toBe('2026-10-13T16:00:00.000Z');
    expect(d.dueAtBeijing).toBe('2026-10-14T00:00:00+08:00');
    expect(d.triggerDay).toBe('2026-09-28');
    expect(d.from).toBe('2026-09-28T02:00:00.000Z');
    expect(d.explanation.counted).toEqual({
      unit: 'working-day', amount: 7, from: '2026-09-29', to: '2026-10-13', adjustedWorkdays: ['2026-10-10'],
    });
    expect(d.explanation.skipped.map((s) => `${s.date}:${s.reason}`)).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => `2026-10-0${n}:holiday`),
      '2026-10-11:weekend',
    ]);
    expect(d.explanation.skipped[0]?.name).toBe('国庆节');
    expect(d.explanation.rolledForwardFrom).toBeUndefined();
  });

  it('a calendar-day period ending inside the holiday rolls to the first working day after it', () => {
    // trigger inside the Mid-Autumn holiday; Sep 25 + 10 = Oct 5 (National Day) → Oct 8
    const d = due('10d', '2026-09-25T10:00:00+08:00');
    expect(d.lastDay).toBe('2026-10-08');
    expect(d.explanation.rolledForwardFrom).toBe('2026-10-05');
    expect(d.explanation.skipped.map((s) => s.date)).toEqual(['2026-10-05', '2026-10-06', '2026-10-07']);
  });

  it('a working-day period triggered inside the holiday starts counting after it', () => {
    expect(due('1wd', '2026-10-03T15:00:00+08:00').lastDay).toBe('2026-10-08');
  });

  it('45d from a notice published 2026-08-18 ends on Oct 2, a holiday, so Oct 8', () => {
    const d = due('45d', '2026-08-18T09:30:00+08:00');
    expect(d.explanation.counted.to).toBe('2026-10-02');
    expect(d.lastDay).toBe('2026-10-08');
  });

  it('45d from 2026-03-02 ends on an ordinary Thursday', () => {
    const d = due('45d', '2026-03-02T09:30:00+08:00');
    expect(d.lastDay).toBe('2026-04-16');
    expect(d.explanation.skipped).toEqual([]);
  });

  it('a calendar-day period ending on an adjusted working Saturday does not roll', () => {
    expect(due('10d', '2026-09-30T10:00:00+08:00').lastDay).toBe('2026-10-10');
  });

  it('3mo from Jul 1 ends on Oct 1 and rolls to Oct 8', () => {
    expect(due('3mo', '2026-07-01T10:00:00+08:00').lastDay).toBe('2026-10-08');
  });
});

describe('trigger day is the Beijing date, whatever the offset', () => {
  it('2026-09-30T17:00:00Z is Oct 1 in Beijing', () => {
    const d = due('10d', '2026-09-30T17:00:00Z');
    expect(d.triggerDay).toBe('2026-10-01');
    // Oct 1 + 10 = Oct 11, an ordinary Sunday → Oct 12
    expect(d.lastDay).toBe('2026-10-12');
    expect(d.explanation.rolledForwardFrom).toBe('2026-10-11');
  });

  it('one millisecond earlier is still Sep 30 in Beijing', () => {
    const d = due('10d', '2026-09-30T15:59:59.999Z');
    expect(d.triggerDay).toBe('2026-09-30');
    expect(d.lastDay).toBe('2026-10-10');
  });

  it('a negative offset is converted too', () => {
    expect(due('10d', '2026-09-30T12:00:00-05:00')).toEqual(due('10d', '2026-09-30T17:00:00Z'));
  });

  it('just after midnight Beijing counts from the Beijing date, not the UTC date', () => {
    const d = due('1d', '2026-09-29T16:30:00Z'); // Sep 30 00:30 Beijing
    expect(d.triggerDay).toBe('2026-09-30');
    expect(d.lastDay).toBe('2026-10-08');
  });

  it('accepts a Date', () => {
    expect(computeDeadline('7wd', new Date('2026-09-28T02:00:00Z'), cal).lastDay).toBe('2026-10-13');
  });
});

describe('Spring Festival and other years', () => {
  // 2024 (gov.cn/zhengce/content/202310/content_6911527.htm): Spring Festival Feb 10–17 off, Feb 4 (Sun) and Feb 18 (Sun) working;
  // National Day Oct 1–7 off, Sep 29 (Sun) and Oct 12 (Sat) working.
  it('2024: 7wd from Feb 7 counts the adjusted Sunday Feb 18', () => {
    const d = due('7wd', '2024-02-07T09:00:00+08:00');
    expect(d.lastDay).toBe('2024-02-22');
    expect(d.explanation.counted.adjustedWorkdays).toEqual(['2024-02-18']);
    expect(d.explanation.skipped.filter((s) => s.reason === 'holiday')).toHaveLength(8);
    expect(d.explanation.skipped[0]).toEqual({ date: '2024-02-10', reason: 'holiday', name: '春节' });
  });

  it('2024: the adjusted Sunday before the holiday is a working day', () => {
    const d = due('1wd', '2024-02-02T09:00:00+08:00');
    expect(d.lastDay).toBe('2024-02-04');
    expect(d.explanation.skipped).toEqual([{ date: '2024-02-03', reason: 'weekend' }]);
  });

  it('2024: a roll-forward out of Spring Festival may land on an adjusted Sunday', () => {
    const d = due('10d', '2024-02-01T09:00:00+08:00');
    expect(d.explanation.rolledForwardFrom).toBe('2024-02-11');
    expect(d.lastDay).toBe('2024-02-18');
  });

  it('2024 National Day: Sep 29 (Sun) is worked, Sep 28 (Sat) is not', () => {
    expect(due('2wd', '2024-09-27T09:00:00+08:00').lastDay).toBe('2024-09-30');
    expect(due('10d', '2024-09-27T09:00:00+08:00').lastDay).toBe('2024-10-08');
  });

  // 2025 (国办发明电〔2024〕12号): Spring Festival Jan 28–Feb 4 off, Jan 26 (Sun) and Feb 8 (Sat)
  // working; National Day + Mid-Autumn Oct 1–8 off, Sep 28 (Sun) and Oct 11 (Sat) working.
  it('2025 Spring Festival', () => {
    expect(due('1wd', '2025-01-24T09:00:00+08:00').lastDay).toBe('2025-01-26');
    expect(due('3wd', '2025-01-26T09:00:00+08:00').lastDay).toBe('2025-02-06');
    expect(due('4wd', '2025-02-05T09:00:00+08:00').lastDay).toBe('2025-02-10'); // Feb 6, 7, 8 (Sat), 10
  });

  it('2025 National Day runs to Oct 8', () => {
    expect(due('7d', '2025-10-01T08:00:00+08:00').lastDay).toBe('2025-10-09');
    expect(due('5wd', '2025-09-30T08:00:00+08:00').lastDay).toBe('2025-10-14'); // Oct 9, 10, 11 (Sat), 13, 14
  });

  // 2026: Spring Festival Feb 15 (Sun)–23 (Mon) off, Feb 14 (Sat) and Feb 28 (Sat) working.
  it('2026 Spring Festival', () => {
    expect(due('1wd', '2026-02-13T09:00:00+08:00').lastDay).toBe('2026-02-14');
    expect(due('5wd', '2026-02-13T09:00:00+08:00').lastDay).toBe('2026-02-27');
    expect(due('6wd', '2026-02-13T09:00:00+08:00').lastDay).toBe('2026-02-28');
    const month = due('1mo', '2026-01-16T09:00:00+08:00');
    expect(month.explanation.rolledForwardFrom).toBe('2026-02-16');
    expect(month.lastDay).toBe('2026-02-24');
  });
});

describe('month periods', () => {
  it.each([
    ['2025-01-31', '1mo', '2025-02-28'],
    ['2024-01-31', '1mo', '2024-02-29'],
    ['2026-03-31', '1mo', '2026-04-30'],
    ['2024-02-29', '1mo', '2024-03-29'],
    ['2024-02-29', '12mo', '2025-02-28'],
    ['2024-12-31', '2mo', '2025-02-28'],
    ['2026-01-15', '6mo', '2026-07-15'],
  ])('%s + %s → %s', (day, period, lastDay) => {
    const d = due(period, `${day}T10:00:00+08:00`);
    expect(d.lastDay).toBe(lastDay);
    expect(d.explanation.rolledForwardFrom).toBeUndefined();
  });

  it('says so when the end month has no corresponding day', () => {
    expect(due('1mo', '2025-01-31T10:00:00+08:00').explanation.rule).toContain('到期月无对应日');
    expect(due('1mo', '2025-01-15T10:00:00+08:00').explanation.rule).not.toContain('到期月无对应日');
  });
});

describe('hour periods', () => {
  it('run across midnight into a holiday without rolling', () => {
    const d = due('2h', '2026-09-30T23:30:00+08:00');
    expect(d.dueAt).toBe('2026-09-30T17:30:00.000Z');
    expect(d.dueAtBeijing).toBe('2026-10-01T01:30:00+08:00');
    expect(d.triggerDay).toBe('2026-09-30');
    expect(d.lastDay).toBe('2026-10-01');
    expect(d.explanation.skipped).toEqual([]);
  });

  it('48h inside the holiday is exactly two days', () => {
    expect(due('48h', '2026-10-01T10:00:00+08:00').dueAt).toBe('2026-10-03T02:00:00.000Z');
  });

  it('keep milliseconds', () => {
    const d = due('1h', '2026-09-28T10:00:00.123+08:00');
    expect(d.dueAt).toBe('2026-09-28T03:00:00.123Z');
    expect(d.dueAtBeijing).toBe('2026-09-28T11:00:00.123+08:00');
  });

  it('need no holiday data', () => {
    expect(computeDeadline('2h', '2030-06-01T10:00:00+08:00', HolidayCalendar.empty()).lastDay).toBe('2030-06-01');
    expect(due('2h', '2026-12-31T23:00:00+08:00').lastDay).toBe('2027-01-01');
  });
});

describe('years without data', () => {
  const missingYear = (fn: () => unknown): number | undefined => {
    try {
      fn();
    } catch (error) {
      if (error instanceof MissingHolidayDataError) return error.year;
      throw error;
    }
    return undefined;
  };

  it('a period ending in 2027 fails naming 2027, in Chinese and English', () => {
    expect(() => due('10d', '2026-12-25T10:00:00+08:00')).toThrow(
      /^缺少 2027 年节假日数据（国务院办公厅安排）.*\/ no holiday data for 2027$/,
    );
    expect(missingYear(() => due('10d', '2026-12-25T10:00:00+08:00'))).toBe(2027);
    expect(missingYear(() => due('7wd', '2026-12-28T10:00:00+08:00'))).toBe(2027);
    expect(missingYear(() => due('1mo', '2026-12-10T10:00:00+08:00'))).toBe(2027);
  });

  it('a period that stays inside covered years works right up to the edge', () => {
    expect(due('1d', '2026-12-30T10:00:00+08:00').lastDay).toBe('2026-12-31');
    expect(due('3wd', '2026-12-28T10:00:00+08:00').lastDay).toBe('2026-12-31');
  });

  it('the roll-forward look-ahead needs the next year too', () => {
    const without2024 = cal.withoutYears([2024]);
    // Dec 30 (Sat) → Dec 31 (Sun) → Jan 1 2024 must be classified
    expect(missingYear(() => due('1d', '2023-12-29T10:00:00+08:00', without2024))).toBe(2024);
    expect(due('1d', '2023-12-29T10:00:00+08:00').lastDay).toBe('2024-01-02');
  });

  it('years before the data fail too', () => {
    expect(missingYear(() => due('1d', '2003-06-01T10:00:00+08:00'))).toBe(2003);
  });

  it('an empty calendar refuses every day-based period', () => {
    expect(missingYear(() => computeDeadline('1d', '2026-06-01T10:00:00+08:00', HolidayCalendar.empty()))).toBe(2026);
  });
});

describe('operator overrides', () => {
  it('adding 2027 makes periods into 2027 work', () => {
    const withNext = cal.withYears([fake2027]);
    expect(due('10d', '2026-12-25T10:00:00+08:00', withNext).lastDay).toBe('2027-01-04');
    const d = due('5d', '2026-12-28T10:00:00+08:00', withNext);
    expect(d.explanation.rolledForwardFrom).toBe('2027-01-02');
    expect(d.lastDay).toBe('2027-01-04');
  });

  it('correcting an existing year takes effect, and the original calendar is unchanged', () => {
    const y2026 = cal.year(2026);
    if (!y2026) throw new Error('2026 missing from built-in data');
    const corrected = cal.withYears([{ ...y2026, workdays: y2026.workdays.filter((w) => w.date !== '2026-10-10') }]);
    // without the adjusted Saturday: Sep 29, 30, Oct 8, 9, 12, 13, 14
    expect(due('7wd', '2026-09-28T10:00:00+08:00', corrected).lastDay).toBe('2026-10-14');
    expect(due('7wd', '2026-09-28T10:00:00+08:00').lastDay).toBe('2026-10-13');
  });

  it('an override replaces the whole year', () => {
    const bare2026 = cal.withYears([{ year: 2026, holidays: ['2026-01-01'], workdays: [], source: 'test', updatedAt: '2026-01-01' }]);
    expect(bare2026.isWorkingDay('2026-10-01')).toBe(true);
    expect(due('1d', '2026-09-30T10:00:00+08:00', bare2026).lastDay).toBe('2026-10-01');
  });
});

describe('chaining periods', () => {
  it('a period starting "when the notification period expires" counts from the day after its last day', () => {
    const notification = due('7wd', '2026-09-28T10:00:00+08:00'); // last day Oct 13
    const decision = due('10d', expiryInstant(notification));
    expect(decision.triggerDay).toBe('2026-10-13');
    expect(decision.lastDay).toBe('2026-10-23');
    // starting from dueAt instead would already be Oct 14 in Beijing: one day late
    expect(due('10d', notification.dueAt).triggerDay).toBe('2026-10-14');
  });
});
