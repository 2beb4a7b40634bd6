import { describe, expect, it } from 'vitest';
import { beijingDateText, beijingTimeText, chineseDateText, periodTextZh } from './chinese.ts';
import { InvalidPeriodError } from './errors.ts';

describe('Chinese document text', () => {
  it('dates an instant by its Beijing calendar day', () => {
    // 16:30 UTC on the 13th is 00:30 on the 14th in Beijing.
    expect(beijingDateText('2026-10-13T16:30:00Z')).toBe('2026年10月14日');
    expect(beijingDateText('2026-10-13T15:59:59Z')).toBe('2026年10月13日');
    expect(chineseDateText('2026-01-05')).toBe('2026年1月5日');
    expect(() => chineseDateText('2026-1-5')).toThrow(/Not a calendar date/);
    expect(beijingTimeText('2026-06-30T17:30:00Z')).toBe('2026-07-01 01:30:00（北京时间）');
  });

  it.each([
    ['15d', '15日'],
    ['10wd', '10个工作日'],
    ['6mo', '6个月'],
    ['12mo', '1年'],
    ['18mo', '18个月'],
    ['2h', '2小时'],
  ])('writes %s as %s', (period, text) => {
    expect(periodTextZh(period)).toBe(text);
  });

  it('refuses a malformed period', () => {
    expect(() => periodTextZh('15 days')).toThrow(InvalidPeriodError);
  });
});
