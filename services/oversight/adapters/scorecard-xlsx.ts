import ExcelJS from 'exceljs';
import { AGENCIES, findJurisdiction } from '../../../shared/agencies.ts';
import { beijingTimeText } from '../../../shared/calendar/index.ts';
import type { ScorecardRenderer } from '../app/ports.ts';
import { periodTextZh, type ScorecardCounts, type ScorecardView } from '../domain/scorecard.ts';

/**
 * The scorecard (seed §四(三)) as a workbook for the leading group office: sheet 考核 with one row
 * per agency and jurisdiction and the totals, sheet 说明 with the rate, what each column counts and
 * where the figures come from. Counts are the computed integers; shares are basis points shown as
 * percentages (bp ÷ 10000 with a `0.00%` format: the nearest double to the exact share).
 */

export const SCORECARD_HEADERS = ['单位', '辖区', '应办期限', '按期', '逾期', '逾期后办结', '尚未办结', '累计逾期（小时）', '最长逾期（小时）', '决议逾期', '事件到场超时', '联席会议缺月', '交办逾期', '扣减比例'] as const;

/** The counted columns, in header order after 单位 and 辖区. */
const COUNT_COLUMNS = ['judged', 'met', 'missed', 'missedThenMet', 'openOverdue', 'latenessHoursTotal', 'latenessHoursMax', 'resolutionsLate', 'onSiteMissed', 'meetingMonthsMissed', 'assignmentsLate'] as const satisfies ReadonlyArray<keyof ScorecardCounts>;

const DEFINITIONS: ReadonlyArray<readonly [string, string]> = [
  ['应办期限', '本期应办结的期限数（按期 + 逾期），以期限届满时刻（北京时间）所在期间计'],
  ['按期', '期限届满前办结的'],
  ['逾期', '期限届满未办结、已记入该单位的（含其后办结的）'],
  ['逾期后办结', '逾期后已办结的'],
  ['尚未办结', '逾期且至生成时仍未办结的'],
  ['累计逾期（小时）', '各逾期事项自届满时刻至办结（未办结的至生成时，程序中止的至中止时）的小时数之和，每项不足一小时按一小时计'],
  ['最长逾期（小时）', '同上，单项最长者'],
  ['决议逾期', '联席会议决议事项逾期的'],
  ['事件到场超时', '突发事件区主要负责人未在2小时内到场的'],
  ['联席会议缺月', '未按月召开联席会议的月份'],
  ['交办逾期', '督查交办事项逾期的'],
  ['扣减比例', '扣减工作经费比例 × 逾期 ÷ 应办期限，四舍五入至0.01%'],
];

const HEADER_ROW = 4;
const COLUMN_WIDTHS = [34, 22, 10, 8, 8, 12, 10, 16, 16, 10, 14, 14, 10, 10];
const PERCENT_FORMAT = '0.00%';

/** Basis points as the fraction a percentage cell holds. */
const fraction = (bp: number) => bp / 10_000;

export async function renderScorecardXlsx(view: ScorecardView): Promise<Uint8Array> {
  const generated = new Date(view.generatedAt);
  const periodText = periodTextZh(view.period);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '征地拆迁联动机制';
  workbook.title = `征地拆迁工作绩效考核 ${periodText}`;
  workbook.created = generated;
  workbook.modified = generated;

  const sheet = workbook.addWorksheet('考核', {
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}` },
  });
  sheet.columns = COLUMN_WIDTHS.map((width) => ({ width }));
  const banner = (rowNumber: number, text: string, size: number) => {
    sheet.mergeCells(rowNumber, 1, rowNumber, SCORECARD_HEADERS.length);
    const cell = sheet.getCell(rowNumber, 1);
    cell.value = text;
    cell.font = { size, bold: rowNumber === 1 };
    cell.alignment = { horizontal: rowNumber === 1 ? 'center' : 'left', vertical: 'middle' };
  };
  banner(1, `征地拆迁工作绩效考核 ${periodText}`, 14);
  banner(2, `生成时间：${beijingTimeText(view.generatedAt)}`, 10);
  banner(3, `扣减工作经费比例：${percentText(view.deductionRateBp)}（领导小组办公室设定）`, 10);

  const header = sheet.getRow(HEADER_ROW);
  header.values = [...SCORECARD_HEADERS];
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8E8E8' } };
  });

  const addCounts = (agencyName: string, jurisdictionName: string, counts: ScorecardCounts) => {
    const row = sheet.addRow([agencyName, jurisdictionName, ...COUNT_COLUMNS.map((column) => counts[column]), fraction(counts.deductionShareBp)]);
    row.getCell(SCORECARD_HEADERS.length).numFmt = PERCENT_FORMAT;
    return row;
  };
  for (const row of view.rows) {
    addCounts(AGENCIES[row.agency].nameZh, findJurisdiction(row.jurisdiction)?.nameZh ?? row.jurisdiction, row);
  }
  addCounts('合计', '', view.totals).font = { bold: true };

  const notes = workbook.addWorksheet('说明');
  notes.columns = [{ width: 22 }, { width: 90 }];
  notes.addRow(['考核期间', `${periodText}（北京时间）`]);
  notes.addRow(['扣减工作经费比例', `${percentText(view.deductionRateBp)}（领导小组办公室设定；逾期全部应办期限时扣减的比例）`]);
  notes.addRow(['生成时间', beijingTimeText(view.generatedAt)]);
  notes.addRow([]);
  notes.addRow(['栏目', '含义']).font = { bold: true };
  for (const [column, meaning] of DEFINITIONS) notes.addRow([column, meaning]);
  notes.addRow([]);
  notes.addRow(['数据来源', '期限监控记录：各期限届满时由系统判定按期或逾期并记入责任单位，本表据以自动计算，不手工填报']);
  notes.addRow(['依据', '征地拆迁联动机制实施方案 四、保障措施（三）建立奖罚机制：将征地拆迁工作纳入年度绩效考核，对不能按期完成征地拆迁任务的，扣减一定比例的工作经费和奖金。']);
  notes.getColumn(2).alignment = { wrapText: true, vertical: 'top' };

  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** `667` → `6.67%`, exactly (integer arithmetic). */
export function percentText(bp: number): string {
  return `${(bp - (bp % 100)) / 100}.${String(bp % 100).padStart(2, '0')}%`;
}

export const scorecardRenderer: ScorecardRenderer = { scorecardXlsx: renderScorecardXlsx };
