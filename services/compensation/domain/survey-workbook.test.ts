import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SURVEY_SHEETS, columnLetter, dateOfCell, decimalOfCell } from './survey-workbook.ts';

describe('survey workbook cells', () => {
  it('reads any quantity of at most 4 decimals from a numeric cell exactly, whatever the float', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 14n - 1n }), (scaled) => {
        const text = `${scaled / 10_000n}.${String(scaled % 10_000n).padStart(4, '0')}`.replace(/\.?0+$/, '');
        const canonical = text === '' ? '0' : text;
        expect(decimalOfCell(Number(canonical))).toEqual({ ok: true, value: canonical });
        expect(decimalOfCell(`0${canonical}${canonical.includes('.') ? '0' : ''}`)).toEqual({ ok: true, value: canonical });
      }),
    );
  });

  it.each<[string | number, string]>([
    [0.1 + 0.2, '0.3'],
    [1.1 * 3, '3.3'],
    [-0, '0'],
    ['  12.3400 ', '12.34'],
    ['+5', '5'],
  ])('reads %s as %s', (cell, value) => {
    expect(decimalOfCell(cell)).toEqual({ ok: true, value });
  });

  it.each<[string | number, string]>([
    [-0.5, 'household.quantity-negative'],
    ['-3', 'household.quantity-negative'],
    [1.00001, 'household.quantity-precision'],
    [1e-7, 'household.quantity-precision'],
    ['0.00005', 'household.quantity-precision'],
    ['1e3', 'household.quantity-malformed'],
    ['1,000', 'household.quantity-malformed'],
    ['', 'household.quantity-malformed'],
    [Number.NaN, 'household.quantity-malformed'],
    [1e16, 'household.quantity-malformed'],
  ])('refuses %s with %s', (cell, code) => {
    expect(decimalOfCell(cell)).toMatchObject({ ok: false, code });
  });

  it.each<[string | number | Date, string]>([
    ['2020-03-15', '2020-03-15'],
    ['2020/3/5', '2020-03-05'],
    ['2020.03.05', '2020-03-05'],
    ['2020年3月5日', '2020-03-05'],
    [20200305, '2020-03-05'],
    ['2024-02-29', '2024-02-29'],
    // exceljs: an Excel date at UTC midnight of its day; late UTC hours are still that day.
    [new Date(Date.UTC(2020, 2, 5, 23, 59)), '2020-03-05'],
  ])('reads the date %s as %s', (cell, value) => {
    expect(dateOfCell(cell)).toEqual({ ok: true, value });
  });

  it.each(['2023-02-29', '2020-13-01', '2020-00-10', '15/03/2020', 'yesterday', '1899-12-31'])('refuses the date %s', (cell) => {
    expect(dateOfCell(cell)).toMatchObject({ ok: false, code: 'household.date-invalid' });
  });

  it('names columns as Excel does', () => {
    expect([1, 8, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'H', 'Z', 'AA', 'AZ', 'AAA']);
  });

  it('defines each sheet with unique headers and keys, the household key first and 序号 on every item sheet', () => {
    for (const sheet of SURVEY_SHEETS) {
      expect(new Set(sheet.columns.map((c) => c.header)).size).toBe(sheet.columns.length);
      expect(new Set(sheet.columns.map((c) => c.key)).size).toBe(sheet.columns.length);
      expect(sheet.columns.slice(0, 2).map((c) => c.header)).toEqual(['村民小组编号', '户编号']);
      if (sheet.kind !== 'members') expect(sheet.columns[2]).toMatchObject({ header: '序号', required: true });
    }
  });
});
