import { describe, expect, it } from 'vitest';
import { formatCount, formatDay, formatDue, formatDuration, formatInstant, formatPeriod, formatYuan, readable } from './format.ts';

describe('console formats', () => {
  it('writes instants in Beijing time whatever the zone of the machine', () => {
    expect(formatDay('2026-09-27T16:30:00Z')).toBe('2026年9月28日');
    expect(formatInstant('2026-09-27T16:30:00Z')).toBe('2026年9月28日 00:30');
    expect(formatDay('2026-09-28')).toBe('2026年9月28日');
  });

  it('writes a deadline that ends with its last day at 24:00 of that day', () => {
    expect(formatDue('2026-09-17T16:00:00Z')).toBe('2026年9月17日 24:00');
    expect(formatDue('2026-09-17T03:30:00Z')).toBe('2026年9月17日 11:30');
    // An hour period may end seconds after midnight: that is the new day, not the old one's 24:00.
    expect(formatDue('2026-09-17T16:00:30Z')).toBe('2026年9月18日 00:00');
    expect(formatDue('2026-09-17T15:59:59.999Z')).toBe('2026年9月17日 23:59');
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

  it('writes the instants and days in the API\'s prose as a clerk reads them, in Beijing time', () => {
    expect(readable('已于 2026-08-03T09:00:24.038+08:00 通知公安，待公安确认暂停')).toBe('已于 2026年8月3日 09:00 通知公安，待公安确认暂停');
    expect(readable('自 2026-08-03T10:15:00+08:00 张贴起算')).toBe('自 2026年8月3日 10:15 张贴起算');
    expect(readable('须待2026-09-27T16:30:00Z（北京时间）后')).toBe('须待2026年9月28日 00:30（北京时间）后');
    expect(readable('最后一日 2026-12-18；协议 XY-2026-0001 号')).toBe('最后一日 2026年12月18日；协议 XY-2026-0001 号');
    expect(readable('没有日期的说明')).toBe('没有日期的说明');
  });
});
