import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HolidayCalendar,
  InvalidInstantError,
  InvalidPeriodError,
  beijingDate,
  computeDeadline,
  formatBeijing,
  formatUtc,
  parsePeriod,
} from './index.ts';

describe('parsePeriod', () => {
  it.each([
    ['7wd', { amount: 7, unit: 'wd' }],
    ['45d', { amount: 45, unit: 'd' }],
    ['3mo', { amount: 3, unit: 'mo' }],
    ['2h', { amount: 2, unit: 'h' }],
    [' 10d ', { amount: 10, unit: 'd' }],
    ['100000h', { amount: 100_000, unit: 'h' }],
  ])('%s', (text, period) => {
    expect(parsePeriod(text)).toEqual(period);
  });

  it.each(['', '0d', '-1d', '1.5d', '7 wd', '7w', '7m', 'wd', '07d', '1e3d', '7WD', '100001d', '99999999999d'])(
    'rejects %j with a bilingual message',
    (text) => {
      expect(() => parsePeriod(text)).toThrow(InvalidPeriodError);
      expect(() => parsePeriod(text)).toThrow(/期间格式无效.*invalid period/);
    },
  );

  it('checks period objects too', () => {
    const cal = HolidayCalendar.builtIn();
    expect(() => computeDeadline({ amount: 0, unit: 'd' }, '2026-01-05T00:00:00Z', cal)).toThrow(InvalidPeriodError);
    expect(() => computeDeadline({ amount: 1, unit: 'w' as 'd' }, '2026-01-05T00:00:00Z', cal)).toThrow(InvalidPeriodError);
    expect(computeDeadline({ amount: 1, unit: 'wd' }, '2026-01-05T00:00:00Z', cal).period).toBe('1wd');
  });
});

describe('instants', () => {
  const cal = HolidayCalendar.builtIn();

  it.each([
    '2026-09-28T10:00:00', // no offset: ambiguous
    '2026-09-28',
    '2026-09-28 10:00:00+08:00',
    '2026-02-30T10:00:00+08:00',
    '2026-09-28T24:00:00+08:00',
    '2026-09-28T10:60:00+08:00',
    '2026-09-28T10:00:00+0800',
    '2026-09-28T10:00:00+24:00',
    'yesterday',
    '',
  ])('refuses %j', (text) => {
    expect(() => computeDeadline('1d', text, cal)).toThrow(InvalidInstantError);
    expect(() => computeDeadline('1d', text, cal)).toThrow(/时间无效.*invalid instant/);
  });

  it('refuses an invalid Date', () => {
    expect(() => computeDeadline('1d', new Date('nope'), cal)).toThrow(InvalidInstantError);
  });

  it('accepts minutes-only and fractional seconds', () => {
    expect(computeDeadline('1h', '2026-09-28T10:00+08:00', cal).from).toBe('2026-09-28T02:00:00.000Z');
    expect(computeDeadline('1h', '2026-09-28T10:00:00.1234+08:00', cal).from).toBe('2026-09-28T02:00:00.123Z');
    expect(computeDeadline('1h', '2026-09-28T10:00:00.5Z', cal).from).toBe('2026-09-28T10:00:00.500Z');
  });

  it('formatBeijing and beijingDate', () => {
    expect(formatBeijing('2026-10-09T16:00:00Z')).toBe('2026-10-10T00:00:00+08:00');
    expect(formatBeijing(new Date('2026-09-30T17:00:00.042Z'))).toBe('2026-10-01T01:00:00.042+08:00');
    expect(formatBeijing(Date.UTC(2024, 1, 28, 16))).toBe('2024-02-29T00:00:00+08:00');
    expect(beijingDate('2026-09-30T17:00:00Z')).toBe('2026-10-01');
    expect(beijingDate('2026-09-30T15:59:59.999Z')).toBe('2026-09-30');
    expect(beijingDate('2026-10-01T00:30:00+09:00')).toBe('2026-09-30');
    expect(() => formatBeijing('2026-10-01T00:30:00')).toThrow(InvalidInstantError);
  });
});

describe('formatUtc', () => {
  it('writes exactly what Date.prototype.toISOString writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(formatUtc(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        expect(formatUtc(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 1000 },
    );
  });
});
