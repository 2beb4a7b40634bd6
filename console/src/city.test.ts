import { describe, expect, it } from 'vitest';
import { beijingDay, countBy, formatBasisPoints, holidayYearBody, mergeNewest, missingHolidayYears, scorecardPeriods, yearsDeadlinesReach } from './city.ts';

describe('city screens arithmetic', () => {
  it('takes periods from the Beijing calendar, not UTC', () => {
    // 31 December 2026 17:00 UTC is 1 January 2027 01:00 in Beijing.
    const ms = Date.parse('2026-12-31T17:00:00Z');
    expect(beijingDay(ms)).toBe('2027-01-01');
    expect(scorecardPeriods(ms)).toEqual({ month: '2027-01', year: '2027' });
    expect(scorecardPeriods(Date.parse('2026-10-02T08:00:00+08:00'))).toEqual({ month: '2026-10', year: '2026' });
  });

  it('warns of the next year once deadlines counted now can reach it (120 days ahead)', () => {
    const covered = Array.from({ length: 23 }, (_, i) => ({ year: 2004 + i }));
    // 2 September + 120 days = 31 December: 2026 still.
    expect(yearsDeadlinesReach(Date.parse('2026-09-02T09:00:00+08:00'))).toEqual([2026]);
    expect(missingHolidayYears(Date.parse('2026-09-02T09:00:00+08:00'), covered)).toEqual([]);
    // 3 September + 120 days = 1 January 2027.
    expect(missingHolidayYears(Date.parse('2026-09-03T09:00:00+08:00'), covered)).toEqual([2027]);
    expect(missingHolidayYears(Date.parse('2026-10-02T08:00:00+08:00'), [...covered, { year: 2027 }])).toEqual([]);
    expect(missingHolidayYears(Date.parse('2027-03-01T09:00:00+08:00'), covered)).toEqual([2027]);
  });

  it('expands named ranges into their days and keeps swaps as single named days', () => {
    const { body, problems } = holidayYearBody(
      2027,
      [
        { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
        { name: '', from: '2027-04-05', to: '' },
      ],
      [{ name: '春节', date: '2027-02-20' }],
      ' 国务院办公厅关于2027年部分节假日安排的通知 ',
      '2026-11-05',
    );
    expect(problems).toEqual([]);
    expect(body).toEqual({
      year: 2027,
      holidays: [
        { date: '2027-01-01', name: '元旦' },
        { date: '2027-01-02', name: '元旦' },
        { date: '2027-01-03', name: '元旦' },
        { date: '2027-04-05' },
      ],
      workdays: [{ date: '2027-02-20', name: '春节' }],
      source: '国务院办公厅关于2027年部分节假日安排的通知',
      updatedAt: '2026-11-05',
    });
  });

  it('names each problem the form can see, row by row', () => {
    const { problems } = holidayYearBody(
      2027,
      [
        { name: '春节', from: '2027-02-10', to: '2027-02-06' },
        { name: '国庆', from: '2027-02-30', to: '' },
        { name: '跨年', from: '2026-12-31', to: '2027-01-01' },
      ],
      [{ name: '', date: '2027-02-22' }],
      '',
      '2026-11-05',
    );
    expect(problems).toEqual([
      '第 1 段假期：结束日期早于开始日期',
      '第 2 段假期：请填写有效的起止日期',
      '第 1 个调休上班日：2027-02-22 不是周六或周日',
      '2026-12-31 不在 2027 年内',
      '请填写通知名称及文号',
    ]);
    expect(holidayYearBody(2027, [], [], '通知', '2026-11-05').problems).toEqual(['至少须有一个节假日']);
  });

  it('writes basis points as an exact percentage', () => {
    expect(formatBasisPoints(667)).toBe('6.67%');
    expect(formatBasisPoints(1000)).toBe('10.00%');
    expect(formatBasisPoints(5)).toBe('0.05%');
  });

  it('adds only the alerts not already held, counts them, and keeps the newest first', () => {
    const id = (a: { id: string }) => a.id;
    const at = (a: { at: string }) => a.at;
    const a = { id: 'a', at: '2026-10-13T16:00:00.000Z' };
    const b = { id: 'b', at: '2026-10-13T16:00:01.000Z' };
    const c = { id: 'c', at: '2026-10-13T16:00:02.000Z' };
    expect(mergeNewest([b, a], [c, b], id, at)).toEqual({ items: [c, b, a], added: 1 });
    expect(mergeNewest([b, a], [], id, at)).toEqual({ items: [b, a], added: 0 });
    // Saved after the last poll but raised before the newest held: read back over the margin, put in its place.
    const late = { id: 'late', at: '2026-10-13T16:00:00.500Z' };
    expect(mergeNewest([c, b, a], [c, b, late], id, at)).toEqual({ items: [c, b, late, a], added: 1 });
  });

  it('counts by key in first-met order', () => {
    expect([...countBy(['x', 'y', 'x'], (s) => s)]).toEqual([
      ['x', 2],
      ['y', 1],
    ]);
  });
});
