import { describe, expect, it } from 'vitest';
import { evidencePurposeOf, HOUSEHOLD_STATE_ZH, LINE_KIND_ZH, searchTerm, workbookContentType, XLSX_TYPE, zh } from './household-labels.ts';

describe('household screens: what a clerk types and sees', () => {
  it('a search is trimmed, its inner spaces dropped, an ID check digit upper-cased; nothing typed is no search', () => {
    expect(searchTerm('  张三 ')).toBe('张三');
    expect(searchTerm('00 1x')).toBe('001X');
    expect(searchTerm('张 小兵')).toBe('张小兵');
    expect(searchTerm('   ')).toBeUndefined();
    expect(searchTerm('')).toBeUndefined();
  });

  it('a code the console knows is shown in Chinese; one it does not know is shown as it came, never blank', () => {
    expect(zh(HOUSEHOLD_STATE_ZH, 'signed')).toBe('已签协议');
    expect(zh(LINE_KIND_ZH, 'resettlement-subsidy')).toBe('安置补助费');
    expect(zh(LINE_KIND_ZH, 'a-new-kind')).toBe('a-new-kind');
  });

  it('urban management films houses; the land bureau and townships photograph crops and attachments', () => {
    expect(evidencePurposeOf('urban-management')).toBe('house-film');
    expect(evidencePurposeOf('township')).toBe('survey-photo');
    expect(evidencePurposeOf('land-bureau')).toBe('survey-photo');
  });

  it('an .xlsx the browser gave no type is declared as a workbook; other files keep their type', () => {
    expect(workbookContentType('调查表.XLSX', '')).toBe(XLSX_TYPE);
    expect(workbookContentType('调查表.xlsx', 'application/octet-stream')).toBe(XLSX_TYPE);
    expect(workbookContentType('调查表.xls', 'application/vnd.ms-excel')).toBe('application/vnd.ms-excel');
  });
});
