import { describe, expect, it } from 'vitest';
import { formatCount, formatDay, formatDue, formatDuration, formatInstant, formatPeriod, formatYuan } from './format.ts';

describe('console formats', () => {
  it('writes instants in Beijing time whatever the zone of the machine', () => {
    expect(formatDay('2026-09-27T16:30:00Z')).toBe('2026年9月28日');
    expect(formatInstant('2026-09-27T16:30:00Z')).toBe('2026年9月28日 00:30');
    expect(formatDay('2026-09-28')).toBe('2026年9月28日');
  });

  it('writes a deadline that ends with its last day at 24:00 of that day', () => {
    expect(formatDue('2026-09-17T16:00:00Z')).toBe('2026年9月17日 24:00');
    expect(formatDue('2026-09-17T03:30:00Z')).toBe('2026年9月17日 11:30');
  });

  it('writes money from integer fen in 元 with two decimals and thousands separators', () => {
    expect(formatYuan(123_456_789)).toBe('1,234,567.89 元');
    expect(formatYuan(5)).toBe('0.05 元');
    expect(formatYuan(-100)).toBe('-1.00 元');
    // Beyond 2^53 fen, still exact.
    expect(formatYuan(9_007_199_254_740_993n)).toBe('90,071,992,547,409.93 元');
  });

  it('writes counts and durations', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000)).toBe('2 天 3 小时');
    expect(formatDuration(45 * 60_000)).toBe('45 分钟');
  });

  it('words a rule period as the law does', () => {
    expect(formatPeriod('45d')).toBe('45日');
    expect(formatPeriod('10wd')).toBe('10个工作日');
    expect(formatPeriod('3mo')).toBe('3个月');
    expect(formatPeriod('2h')).toBe('2小时');
    expect(formatPeriod('each-calendar-month')).toBe('每个自然月');
  });
});
