import { describe, expect, it } from 'vitest';
import { fenSchema, formatYuan } from './money.ts';

describe('money in fen', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [100, '1.00'],
    [123_456, '1,234.56'],
    [4_800_000, '48,000.00'],
    [-5, '-0.05'],
    [-123_456, '-1,234.56'],
    [Number.MAX_SAFE_INTEGER, '90,071,992,547,409.91'],
  ])('formats %i fen as %s yuan', (fen, yuan) => {
    expect(formatYuan(fen)).toBe(yuan);
  });

  it('accepts only non-negative safe integers, in Chinese', () => {
    expect(fenSchema.parse(0)).toBe(0);
    expect(fenSchema.parse(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of [1.5, -1, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY, '100', null]) {
      expect(fenSchema.safeParse(bad).success, String(bad)).toBe(false);
    }
    expect(fenSchema.safeParse(1.5).error?.issues[0]?.message).toBe('金额必须是以“分”为单位的整数');
    expect(fenSchema.safeParse(-1).error?.issues[0]?.message).toBe('金额不能为负数');
  });
});
