import ExcelJS from 'exceljs';
import { beijingTimeText } from '../../../../shared/calendar/index.ts';
import type { Fen } from '../../../../shared/money.ts';
import type { DisclosureDocument } from '../../app/documents.ts';
import { checkDisclosure, lineDescription, memberText, PAYEE_LABELS } from './presentation.ts';

/**
 * The disclosure (公示) as a workbook for township staff, one row per compensation line.
 *
 * Amounts are numbers in yuan with the `#,##0.00` format, so the sheet reads like the posted PDF
 * and can be summed; the totals are written as values computed in integer fen (not formulas,
 * which Excel would redo in binary floats). Quantities are text: exactly the decimals computed.
 */

export const DISCLOSURE_HEADERS = ['户编号', '户主', '家庭成员（身份证号已脱敏）', '补偿项目', '数量', '单位', '单价（元）', '金额（元）', '领取对象'] as const;

const YUAN_FORMAT = '#,##0.00';
const HEADER_ROW = 4;
const COLUMN_WIDTHS = [10, 10, 48, 30, 12, 8, 14, 16, 18];
const RATE_COLUMN = 7;
const AMOUNT_COLUMN = 8;

/** Fen as a yuan number: an integer divided by 100 is the nearest double to the exact amount. */
const yuan = (fen: Fen) => fen / 100;

export async function renderDisclosureXlsx(disclosure: DisclosureDocument): Promise<Uint8Array> {
  checkDisclosure(disclosure);
  const generated = new Date(disclosure.generatedAt);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '征地拆迁联动机制';
  workbook.title = `征地补偿安置公示 ${disclosure.projectName} ${disclosure.villageGroupName}`;
  workbook.created = generated;
  workbook.modified = generated;

  const sheet = workbook.addWorksheet('公示', {
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}` },
  });
  sheet.columns = COLUMN_WIDTHS.map((width) => ({ width }));
  const lastColumn = DISCLOSURE_HEADERS.length;

  const banner = (rowNumber: number, text: string, size: number) => {
    sheet.mergeCells(rowNumber, 1, rowNumber, lastColumn);
    const cell = sheet.getCell(rowNumber, 1);
    cell.value = text;
    cell.font = { size, bold: rowNumber === 1 };
    cell.alignment = { horizontal: rowNumber === 1 ? 'center' : 'left', vertical: 'middle', wrapText: true };
  };
  banner(1, `${disclosure.projectName} ${disclosure.villageGroupName} 征地补偿安置公示`, 14);
  banner(2, disclosure.postingNote, 10);
  banner(3, `生成时间：${beijingTimeText(disclosure.generatedAt)}`, 10);

  const header = sheet.getRow(HEADER_ROW);
  header.values = [...DISCLOSURE_HEADERS];
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8E8E8' } };
  });

  const formatAmounts = (row: ExcelJS.Row) => {
    row.getCell(RATE_COLUMN).numFmt = YUAN_FORMAT;
    row.getCell(AMOUNT_COLUMN).numFmt = YUAN_FORMAT;
  };
  const totalRow = (label: string, householdNumber: string, totalFen: Fen) => {
    const row = sheet.addRow([householdNumber, '', '', label, '', '', null, yuan(totalFen), '']);
    row.font = { bold: true };
    formatAmounts(row);
    return row;
  };

  for (const household of disclosure.households) {
    const members = household.members.map(memberText).join('、');
    for (const line of household.lines) {
      const row = sheet.addRow([
        household.householdNumber,
        household.headName,
        members,
        lineDescription(line),
        line.quantity,
        line.unit,
        yuan(line.rateFen),
        yuan(line.amountFen),
        PAYEE_LABELS[line.payee],
      ]);
      row.getCell(3).alignment = { wrapText: true, vertical: 'top' };
      row.getCell(5).alignment = { horizontal: 'right' };
      formatAmounts(row);
    }
    totalRow('本户合计', household.householdNumber, household.totalFen);
  }
  totalRow(`本组合计（${disclosure.households.length} 户）`, '', disclosure.totalFen);

  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
