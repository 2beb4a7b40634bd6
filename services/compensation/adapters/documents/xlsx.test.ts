import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DISCLOSURE_HEADERS, renderDisclosureXlsx } from './xlsx.ts';
import { sampleDisclosure } from './samples.ts';

async function readBack(bytes: Uint8Array) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet('公示');
  if (sheet === undefined) throw new Error('no 公示 sheet');
  return { workbook, sheet };
}

/** Every row below the header as plain values (index 0 = column A). */
function dataRows(sheet: ExcelJS.Worksheet, headerRow: number) {
  const rows: unknown[][] = [];
  sheet.eachRow((row, number) => {
    if (number > headerRow) rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

describe('disclosure workbook', () => {
  it('has Chinese headers on a frozen row, one row per line, amounts in yuan and the totals', async () => {
    const { doc } = sampleDisclosure(12);
    const { workbook, sheet } = await readBack(await renderDisclosureXlsx(doc));

    expect(workbook.created.toISOString()).toBe('2026-06-30T06:05:00.000Z');
    expect(sheet.getCell('A1').value).toBe(`${doc.projectName} ${doc.villageGroupName} 征地补偿安置公示`);
    expect(sheet.getCell('A2').value).toBe(doc.postingNote);
    expect(sheet.getCell('A3').value).toBe('生成时间：2026-06-30 14:05:00（北京时间）');
    const headerRow = 4;
    expect((sheet.getRow(headerRow).values as unknown[]).slice(1)).toEqual([...DISCLOSURE_HEADERS]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRow });

    const rows = dataRows(sheet, headerRow);
    let at = 0;
    for (const household of doc.households) {
      for (const line of household.lines) {
        const row = rows[at++] ?? [];
        expect(row.slice(0, 2)).toEqual([household.householdNumber, household.headName]);
        expect(row[3]).toBe(line.description);
        expect(row[4]).toBe(line.quantity);
        expect(row[6]).toBe(line.rateFen / 100);
        expect(row[7]).toBe(line.amountFen / 100);
      }
      const total = rows[at++] ?? [];
      expect([total[0], total[3], total[7]]).toEqual([household.householdNumber, '本户合计', household.totalFen / 100]);
    }
    const groupTotal = rows[at++] ?? [];
    expect([groupTotal[3], groupTotal[7]]).toEqual([`本组合计（${doc.households.length} 户）`, doc.totalFen / 100]);
    expect(rows).toHaveLength(at);

    const lastRow = sheet.getRow(headerRow + at);
    expect(lastRow.getCell(8).numFmt).toBe('#,##0.00');
    expect(sheet.getRow(headerRow + 1).getCell(7).numFmt).toBe('#,##0.00');
  });

  it('shows masked ID numbers only: no clear number anywhere in the workbook', async () => {
    const { doc, members } = sampleDisclosure(20);
    const { workbook, sheet } = await readBack(await renderDisclosureXlsx(doc));
    const texts: string[] = [workbook.title, workbook.creator];
    sheet.eachRow((row) => row.eachCell((cell) => {
      if (typeof cell.value === 'string') texts.push(cell.value);
    }));
    const all = texts.join('\n');

    for (const member of members) {
      expect(all).toContain(member.idNumberMasked);
      expect(all).not.toContain(member.clearIdNumber);
    }
    // No run of digits long enough to be an ID number in any text (amounts are numbers).
    expect(all).not.toMatch(/\d{7,}/);
  });

  it('refuses a household whose ID numbers are not masked', async () => {
    const { doc, members } = sampleDisclosure(2);
    const [first, ...rest] = doc.households;
    if (first === undefined) throw new Error('sample has households');
    const leaked = { ...first, members: first.members.map((m, i) => (i === 0 ? { ...m, idNumberMasked: members[0]?.clearIdNumber ?? '' } : m)) };
    await expect(renderDisclosureXlsx({ ...doc, households: [leaked, ...rest] })).rejects.toThrow(/not masked/);
  });
});
