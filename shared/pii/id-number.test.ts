import { describe, expect, it } from 'vitest';
import { maskIdNumber, normaliseIdNumber } from './id-number.ts';

const ID = '11010519491231002X';

describe('PRC resident ID numbers', () => {
  it('accepts a valid number and upper-cases the check character', () => {
    expect(normaliseIdNumber(ID)).toBe(ID);
    expect(normaliseIdNumber(ID.toLowerCase())).toBe(ID);
  });

  it('accepts a number pasted with surrounding spaces (ASCII, full-width, tabs, line breaks)', () => {
    expect(normaliseIdNumber(`  ${ID}  `)).toBe(ID);
    expect(normaliseIdNumber(`\u3000${ID}\u3000`)).toBe(ID);
    expect(normaliseIdNumber(`\t${ID}\n`)).toBe(ID);
  });

  it('refuses spaces inside, a wrong check character, an impossible birth date, a wrong length', () => {
    for (const bad of ['110105 19491231002X', '110105194912310021', '110105194913310028', ID.slice(0, 17), `${ID}1`, '']) {
      expect(() => normaliseIdNumber(bad), bad).toThrow(expect.objectContaining({ code: 'id-number.invalid' }));
    }
  });

  it('masks all but the first and last four characters', () => {
    expect(maskIdNumber(ID)).toBe('1101**********002X');
  });
});
