import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareQuantities, formatQuantity, isQuantity, multiplyToFen, parseQuantity, sumFen } from './quantity.ts';

const refused = (code: string, text?: string) => expect.objectContaining({ code, category: 'validation', ...(text ? { message: expect.stringContaining(text) } : {}) });

describe('parsing a quantity', () => {
  it.each([
    ['12.35', 123_500n],
    ['0.5', 5_000n],
    ['3', 30_000n],
    ['0', 0n],
    ['1.2345', 12_345n],
    ['007.10', 71_000n],
  ])('reads %s as %s ten-thousandths', (text, scaled) => {
    expect(parseQuantity(text, '面积')).toBe(scaled);
  });

  it('refuses a number, even an integral one: a float must never get in', () => {
    expect(() => parseQuantity(12.35, '地块面积')).toThrow(refused('quantity.not-a-string', '地块面积须以文本形式'));
    expect(() => parseQuantity(3, '地块面积')).toThrow(refused('quantity.not-a-string'));
    expect(() => parseQuantity(undefined, '地块面积')).toThrow(refused('quantity.not-a-string'));
  });

  it('refuses a negative quantity', () => {
    expect(() => parseQuantity('-1.5', '面积')).toThrow(refused('quantity.negative', '面积不能为负数'));
  });

  it.each(['1e3', '1.2e-1', '+1', ' 1', '1 ', '1,000', '.5', '5.', '', '１２', '0x10', 'NaN', 'Infinity'])('refuses “%s”', (text) => {
    expect(() => parseQuantity(text, '面积')).toThrow(refused('quantity.invalid', `收到“${text}”`));
  });

  it('refuses more than four decimal places, even if they are zeros', () => {
    expect(() => parseQuantity('1.23456', '面积')).toThrow(refused('quantity.too-precise', '最多保留4位小数'));
    expect(() => parseQuantity('1.00000', '面积')).toThrow(refused('quantity.too-precise'));
  });

  it('refuses absurdly large quantities (more than 12 integer digits)', () => {
    expect(parseQuantity('999999999999.9999', '面积')).toBe(9_999_999_999_999_999n);
    expect(() => parseQuantity('1000000000000', '面积')).toThrow(refused('quantity.too-large'));
  });

  it('tells a quantity without throwing', () => {
    expect(isQuantity('1.5')).toBe(true);
    expect(isQuantity(1.5)).toBe(false);
    expect(isQuantity('1.5e0')).toBe(false);
  });
});

describe('formatting and comparing', () => {
  it('formats canonically', () => {
    expect(formatQuantity(123_500n)).toBe('12.35');
    expect(formatQuantity(30_000n)).toBe('3');
    expect(formatQuantity(1n)).toBe('0.0001');
    expect(formatQuantity(-5_000n)).toBe('-0.5');
  });

  it('compares by value, not by text', () => {
    expect(compareQuantities('1.50', '1.5')).toBe(0);
    expect(compareQuantities('9', '10')).toBe(-1);
    expect(compareQuantities('10.0001', '10')).toBe(1);
  });

  it('round-trips any valid quantity', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 16n - 1n }), (scaled) => {
        expect(parseQuantity(formatQuantity(scaled), 'x')).toBe(scaled);
      }),
    );
  });
});

describe('quantity × rate, rounded once, half up to the fen', () => {
  // Worked by hand: the exact product, then 四舍五入 at the fen.
  it.each([
    ['1.2345 mu of paddy at 48,000.00 yuan/mu', '1.2345', 4_800_000, 5_925_600], // exactly 5,925,600 fen
    ['0.3333 mu at 1,500.00 yuan/mu', '0.3333', 150_000, 49_995], // 49,995.0 fen
    ['0.0001 × 5 fen = 0.0005 fen → 0', '0.0001', 5, 0],
    ['0.0001 × 5,000 fen = exactly half a fen → up to 1', '0.0001', 5_000, 1],
    ['0.0001 × 4,999 fen = 0.4999 fen → 0', '0.0001', 4_999, 0],
    ['0.0001 × 15,000 fen = 1.5 fen → 2', '0.0001', 15_000, 2],
    ['0.0001 × 25,000 fen = 2.5 fen → 3 (half up, not half even)', '0.0001', 25_000, 3],
    ['123.45 m² of brick-concrete at 980.00 yuan/m²', '123.45', 98_000, 12_098_100],
    ['2.3333 m² at 1.01 yuan/m² = 235.6633 fen → 236', '2.3333', 101, 236],
    ['0.0003 × 1,666 fen = 0.4998 fen → 0', '0.0003', 1_666, 0],
    ['0.0003 × 1,667 fen = 0.5001 fen → 1', '0.0003', 1_667, 1],
    ['zero quantity', '0', 98_000, 0],
    ['zero rate', '12.5', 0, 0],
  ])('%s', (_, quantity, rate, fen) => {
    expect(multiplyToFen(quantity, rate)).toBe(fen);
  });

  it('is the exact rational product rounded half up (oracle: numerator/denominator by hand)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 99_999_999 }), fc.integer({ min: 0, max: 4 }), fc.nat({ max: 10_000_000 }), (digits, places, rate) => {
        const text = places === 0 ? String(digits) : `${String(digits).padStart(places + 1, '0').slice(0, -places)}.${String(digits).padStart(places + 1, '0').slice(-places)}`;
        // Oracle: exact fraction digits × rate / 10^places, rounded with remainder compared to the half.
        const numerator = BigInt(digits) * BigInt(rate);
        const denominator = 10n ** BigInt(places);
        const quotient = numerator / denominator;
        const remainder = numerator % denominator;
        const expected = 2n * remainder >= denominator ? quotient + 1n : quotient;
        const result = multiplyToFen(text, rate);
        expect(Number.isSafeInteger(result)).toBe(true);
        expect(BigInt(result)).toBe(expected);
      }),
    );
  });

  it('is never more than half a fen from the exact product, and monotone in the quantity', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 10n }), fc.bigInt({ min: 0n, max: 10n ** 10n }), fc.nat({ max: 10_000_000 }), (a, b, rate) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const fenSmall = multiplyToFen(formatQuantity(small), rate);
        const fenLarge = multiplyToFen(formatQuantity(large), rate);
        expect(fenSmall).toBeLessThanOrEqual(fenLarge);
        const errorTimesScale = BigInt(fenSmall) * 10_000n - small * BigInt(rate);
        expect(errorTimesScale * 2n).toBeLessThanOrEqual(10_000n);
        expect(errorTimesScale * 2n).toBeGreaterThan(-10_000n);
      }),
    );
  });

  it('refuses a rate that is not a non-negative safe integer', () => {
    expect(() => multiplyToFen('1', 1.5, '水井')).toThrow(refused('quantity.rate-invalid', '水井的单价'));
    expect(() => multiplyToFen('1', -1)).toThrow(refused('quantity.rate-invalid'));
    expect(() => multiplyToFen('1', Number.NaN)).toThrow(refused('quantity.rate-invalid'));
  });

  it('refuses an amount beyond the safe-integer range', () => {
    expect(() => multiplyToFen('999999999999', 1_000_000_000)).toThrow(refused('quantity.amount-too-large'));
  });

  it('passes the quantity errors through with the label', () => {
    expect(() => multiplyToFen('1.23456', 100, '地块“7”的面积')).toThrow(refused('quantity.too-precise', '地块“7”的面积'));
  });
});

describe('summing fen', () => {
  it('sums exactly, including negatives', () => {
    expect(sumFen([5_925_600, 49_995, -12_098_100])).toBe(-6_122_505);
    expect(sumFen([])).toBe(0);
  });

  it('refuses a total outside the safe-integer range', () => {
    expect(() => sumFen([Number.MAX_SAFE_INTEGER, 1])).toThrow(refused('quantity.amount-too-large'));
  });
});
