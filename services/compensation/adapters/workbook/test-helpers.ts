import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { CompensationStandard } from '../../domain/plan.ts';
import { SURVEY_SHEETS } from '../../domain/survey-workbook.ts';

/** Writes real survey workbooks with exceljs, for the import's tests and its bench. */

export const STANDARD: CompensationStandard = {
  landRates: [
    { landClass: '水田', fenPerMu: 4_800_000 },
    { landClass: '旱地', fenPerMu: 3_600_000 },
  ],
  cropRates: [
    { crop: '水稻', fenPerMu: 150_000 },
    { crop: '蔬菜', fenPerMu: 200_000 },
  ],
  attachmentRates: [
    { item: '坟墓', unit: '座', fenPerUnit: 300_000 },
    { item: '水井', unit: '口', fenPerUnit: 80_000 },
    { item: '果树', unit: '株', fenPerUnit: 15_000 },
  ],
  houseRates: [
    { structure: '砖混', fenPerSquareMetre: 90_000 },
    { structure: '砖木', fenPerSquareMetre: 70_000 },
  ],
  resettlementSubsidyRates: [
    { landClass: '水田', fenPerMu: 3_200_000 },
    { landClass: '旱地', fenPerMu: 2_400_000 },
  ],
  socialSecurity: { fenPerPerson: 2_500_000 },
  resettlementOptions: [{ id: 'money', description: '货币补偿', kind: 'cash' }],
};
export const VILLAGE_GROUPS = [
  { id: 'g1', name: '一组', village: '梅湾村' },
  { id: 'g2', name: '二组', village: '梅湾村' },
];
export const TODAY = '2026-09-01';

export type Cell = string | number | boolean | Date | null | undefined;
/** A row as column key → value (keys of domain/survey-workbook.ts), or as cells in column order. */
export type RowSpec = Record<string, Cell> | Cell[];
/** Sheet name → data rows (row 2 on); the survey's headers are written in row 1 unless `headers` says otherwise. */
export type WorkbookSpec = Record<string, RowSpec[]>;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid ID number (GB 11643 check character) for a birth date and a sequence number. */
export function idNumber(birth: string, sequence: number, region = '431103'): string {
  const body = `${region}${birth.replaceAll('-', '')}${String(sequence % 1000).padStart(3, '0')}`;
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

function cellsOf(sheet: string, row: RowSpec, headers: string[] | undefined): Cell[] {
  if (Array.isArray(row)) return row;
  const def = SURVEY_SHEETS.find((s) => s.name === sheet);
  const fullWidth = (h: string) => h.replaceAll('(', '（').replaceAll(')', '）');
  const keys = headers ? headers.map((h) => def?.columns.find((c) => c.header === fullWidth(h))?.key ?? h) : (def?.columns.map((c) => c.key) ?? Object.keys(row));
  return keys.map((k) => row[k]);
}

/**
 * The workbook's bytes, written with exceljs's streaming writer and shared strings (as Excel
 * writes them). `headers` replaces a sheet's header row (to drop or move columns).
 */
export async function writeWorkbook(spec: WorkbookSpec, headers: Record<string, string[]> = {}): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => out.on('end', resolve));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: true });
  for (const [name, rows] of Object.entries(spec)) {
    const sheet = workbook.addWorksheet(name);
    const def = SURVEY_SHEETS.find((s) => s.name === name);
    const header = headers[name] ?? def?.columns.map((c) => c.header);
    if (header) sheet.addRow(header).commit();
    for (const row of rows) {
      const written = sheet.addRow(cellsOf(name, row, headers[name]));
      written.eachCell((cell) => {
        if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
      });
      written.commit();
    }
    sheet.commit();
  }
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}

export const streamOf = (bytes: Uint8Array): Readable => Readable.from([Buffer.from(bytes)]);

/** Every survey sheet, empty but for its headers, with `rows` laid over it. */
export function surveySpec(rows: Partial<WorkbookSpec>): WorkbookSpec {
  return Object.fromEntries(SURVEY_SHEETS.map((s) => [s.name, rows[s.name] ?? []]));
}

/**
 * `count` households of 15 rows each (3 members, 4 parcels, 3 crops, 3 attachments, 2 houses),
 * deterministic: household i is in g1 or g2, number i+1; every member's ID number is distinct.
 */
export function generatedSpec(count: number): WorkbookSpec {
  const spec = surveySpec({});
  const day0 = Date.UTC(1950, 0, 1);
  let person = 0;
  const birth = () => new Date(day0 + (person++ % 20_000) * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; i < count; i++) {
    const key = { villageGroupId: `g${(i % 2) + 1}`, householdNumber: String(i + 1) };
    const head = `户主${i + 1}`;
    const people = [
      { name: head, relation: '户主' },
      { name: `配偶${i + 1}`, relation: '配偶' },
      { name: `子女${i + 1}`, relation: '子女' },
    ];
    for (const p of people) {
      const born = birth();
      spec['户及成员']!.push({ ...key, headName: head, ...p, idNumber: idNumber(born, Math.floor(person / 20_000) * 7 + 1), dateOfBirth: born, military: i % 50 === 0 && p.relation === '子女' ? '退役' : undefined });
    }
    for (let k = 1; k <= 4; k++) {
      spec['土地']!.push({ ...key, itemKey: k, parcelNumber: `DK-${i + 1}-${k}`, landClass: k % 2 ? '水田' : '旱地', areaMu: (((i * 7 + k * 13) % 500) + 1) / 100, cameIntoBeingOn: '2001-05-01' });
    }
    for (let k = 1; k <= 3; k++) spec['青苗']!.push({ ...key, itemKey: k, crop: k % 2 ? '水稻' : '蔬菜', areaMu: `${(i % 3) + 1}.${k}5`, cameIntoBeingOn: '2026-04-01' });
    for (let k = 1; k <= 3; k++) spec['附着物']!.push({ ...key, itemKey: k, item: ['坟墓', '水井', '果树'][k - 1], unit: ['座', '口', '株'][k - 1], quantity: k * 2 });
    for (let k = 1; k <= 2; k++) {
      spec['房屋']!.push({ ...key, itemKey: k, structure: k === 1 ? '砖混' : '砖木', floorAreaSquareMetres: 80 + ((i * 3 + k) % 120) + 0.25, storeys: k, cameIntoBeingOn: new Date(Date.UTC(1995 + (i % 20), 5, 1)), legality: k === 1 ? '合法' : undefined });
    }
  }
  return spec;
}
