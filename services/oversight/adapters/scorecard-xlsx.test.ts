import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ScorecardCounts, ScorecardView } from '../domain/scorecard.ts';
import { percentText, renderScorecardXlsx, SCORECARD_HEADERS } from './scorecard-xlsx.ts';

const counts = (overrides: Partial<ScorecardCounts>): ScorecardCounts => ({
  judged: 0,
  met: 0,
  missed: 0,
  missedThenMet: 0,
  openOverdue: 0,
  latenessHoursTotal: 0,
  latenessHoursMax: 0,
  resolutionsLate: 0,
  onSiteMissed: 0,
  meetingMonthsMissed: 0,
  assignmentsLate: 0,
  deductionShareBp: 0,
  ...overrides,
});

const VIEW: ScorecardView = {
  period: { kind: 'month', value: '2026-10' },
  rows: [
    { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', ...counts({ judged: 4, met: 2, missed: 2, missedThenMet: 1, openOverdue: 1, latenessHoursTotal: 395, latenessHoursMax: 368, resolutionsLate: 1, deductionShareBp: 500 }) },
    { agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan', ...counts({ judged: 3, met: 2, missed: 1, assignmentsLate: 1, latenessHoursTotal: 24, latenessHoursMax: 24, deductionShareBp: 333 }) },
  ],
  totals: counts({ judged: 7, met: 4, missed: 3, missedThenMet: 1, openOverdue: 1, latenessHoursTotal: 419, latenessHoursMax: 368, resolutionsLate: 1, assignmentsLate: 1, deductionShareBp: 429 }),
  deductionRateBp: 1000,
  // 2026-11-05 08:00 Beijing.
  generatedAt: '2026-11-05T00:00:00.000Z',
};

async function readBack(bytes: Uint8Array) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet('考核');
  const notes = workbook.getWorksheet('说明');
  if (sheet === undefined || notes === undefined) throw new Error('missing a sheet');
  return { workbook, sheet, notes };
}

const values = (row: ExcelJS.Row) => (row.values as unknown[]).slice(1);

describe('scorecard workbook', () => {
  it('a title with the period, the generated time in Beijing, Chinese headers, one row per agency and jurisdiction in Chinese names, and the totals', async () => {
    const { workbook, sheet } = await readBack(await renderScorecardXlsx(VIEW));
    expect(workbook.created.toISOString()).toBe('2026-11-05T00:00:00.000Z');
    expect(sheet.getCell('A1').value).toBe('征地拆迁工作绩效考核 2026年10月');
    expect(sheet.getCell('A2').value).toBe('生成时间：2026-11-05 08:00:00（北京时间）');
    expect(sheet.getCell('A3').value).toBe('扣减工作经费比例：10.00%（领导小组办公室设定）');
    expect(values(sheet.getRow(4))).toEqual([...SCORECARD_HEADERS]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(values(sheet.getRow(5))).toEqual(['市国土资源局', '冷水滩区', 4, 2, 2, 1, 1, 395, 368, 1, 0, 0, 0, 0.05]);
    expect(values(sheet.getRow(6))).toEqual(['乡镇人民政府 / 街道办事处', '梅湾街道', 3, 2, 1, 0, 0, 24, 24, 0, 0, 0, 1, 0.0333]);
    expect(values(sheet.getRow(7))).toEqual(['合计', '', 7, 4, 3, 1, 1, 419, 368, 1, 0, 0, 1, 0.0429]);
    expect(sheet.getRow(6).getCell(14).numFmt).toBe('0.00%');
    expect(sheet.getRow(7).font).toMatchObject({ bold: true });
    expect(sheet.rowCount).toBe(7);
  });

  it('a year is titled as the year; an empty period still has its totals row', async () => {
    const { sheet } = await readBack(await renderScorecardXlsx({ ...VIEW, period: { kind: 'year', value: '2026' }, rows: [], totals: counts({}) }));
    expect(sheet.getCell('A1').value).toBe('征地拆迁工作绩效考核 2026年');
    expect(values(sheet.getRow(5))).toEqual(['合计', '', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('the 说明 sheet gives the rate, the definitions of every column and the source', async () => {
    const { notes } = await readBack(await renderScorecardXlsx(VIEW));
    const rows = new Map<string, string>();
    notes.eachRow((row) => rows.set(String(row.getCell(1).value), String(row.getCell(2).value)));
    expect(rows.get('考核期间')).toBe('2026年10月（北京时间）');
    expect(rows.get('扣减工作经费比例')).toMatch(/^10\.00%（领导小组办公室设定/);
    for (const header of SCORECARD_HEADERS.slice(2)) expect(rows.get(header), header).toBeTruthy();
    expect(rows.get('依据')).toContain('扣减一定比例的工作经费和奖金');
    expect(rows.get('数据来源')).toContain('不手工填报');
  });

  it('shows basis points as exact percentage text', () => {
    expect([percentText(0), percentText(5), percentText(667), percentText(1000), percentText(10_000)]).toEqual(['0.00%', '0.05%', '6.67%', '10.00%', '100.00%']);
  });
});
