import { describe, expect, it } from 'vitest';
import { maskIdNumber, normaliseIdNumber } from './id-number.ts';

// Valid under GB 11643-1999. Refused ones below with a date problem carry a correct check character,
// so the date check is what refuses them.
const VALID_X = '11010519491231002X';

describe('PRC resident identity numbers', () => {
  it('accepts valid numbers, upper-casing the check character x', () => {
    expect(normaliseIdNumber(VALID_X)).toBe(VALID_X);
    expect(normaliseIdNumber(VALID_X.toLowerCase())).toBe(VALID_X);
    expect(normaliseIdNumber('440524188001010014')).toBe('440524188001010014');
    expect(normaliseIdNumber('110105200002290013')).toBe('110105200002290013'); // 29 Feb 2000
  });

  // Surrounding spaces: see 'as pasted' below.
  it.each([
    ['a wrong check character', '110105194912310021'],
    ['one digit changed', '11010519491231012X'],
    ['17 characters', '11010519491231002'],
    ['19 characters', '11010519491231002X0'],
    ['an X not in last place', '1101051949123100X2'],
    ['a letter other than X', '11010519491231002Y'],
    ['full-width digits', '１１０１０５１９４９１２３１００２Ｘ'],
    ['an impossible date (30 Feb)', '110105194902300020'],
    ['29 Feb of a year that is not a leap year (1900)', '110105190002290017'],
    ['month 13', '110105194913010029'],
    ['an inner space', '110105 19491231002X'],
    ['empty', ''],
  ])('refuses %s with id-number.invalid', (_, raw) => {
    expect(() => normaliseIdNumber(raw)).toThrow(expect.objectContaining({ code: 'id-number.invalid', category: 'validation' }));
  });

  it('masks all but the first and last four characters', () => {
    expect(maskIdNumber(VALID_X)).toBe('1101**********002X');
  });
});

describe('PRC resident identity numbers as pasted', () => {
  it('accepts a number with surrounding spaces (ASCII, full-width, tabs, line breaks)', () => {
    expect(normaliseIdNumber(`  ${VALID_X}  `)).toBe(VALID_X);
    expect(normaliseIdNumber(`\u3000${VALID_X}\u3000`)).toBe(VALID_X);
    expect(normaliseIdNumber(`\t${VALID_X}\n`)).toBe(VALID_X);
  });

  it('refuses spaces inside', () => {
    expect(() => normaliseIdNumber('110105 19491231002X')).toThrow(expect.objectContaining({ code: 'id-number.invalid' }));
  });
});
