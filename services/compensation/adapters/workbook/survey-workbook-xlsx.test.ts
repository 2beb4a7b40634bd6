import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { CompensationStandard } from '../../domain/plan.ts';
import { SURVEY_SHEETS, type SurveyParseResult } from '../../domain/survey-workbook.ts';
import { parseSurveyWorkbook, surveyTemplate, type ParseSurveyOptions } from './survey-workbook-xlsx.ts';
import { STANDARD, TODAY, VILLAGE_GROUPS, generatedSpec, idNumber, streamOf, surveySpec, writeWorkbook, type RowSpec, type WorkbookSpec } from './test-helpers.ts';

const OPTIONS: ParseSurveyOptions = { standard: STANDARD, villageGroupIds: VILLAGE_GROUPS.map((g) => g.id), today: TODAY };
const parse = (bytes: Uint8Array, options: Partial<ParseSurveyOptions> = {}) => parseSurveyWorkbook(streamOf(bytes), { ...OPTIONS, ...options });
const parseSpec = async (spec: WorkbookSpec, headers?: Record<string, string[]>) => parse(await writeWorkbook(spec, headers));

const ID_A = idNumber('1970-01-01', 11);
const ID_B = idNumber('1972-03-04', 22);
const ID_C = idNumber('1965-12-31', 33);
const H1 = { villageGroupId: 'g1', householdNumber: '1' };
const H2 = { villageGroupId: 'g2', householdNumber: '7' };

/** Two good households: 张三's (g1/1, two members) and 王五's (g2/7); each sheet's data starts at row 2. */
function goodSpec(): WorkbookSpec {
  return surveySpec({
    户及成员: [
      { ...H1, headName: '张三', name: '张三', relation: '户主', idNumber: ID_A, dateOfBirth: '1970-01-01' },
      { ...H1, headName: '张三', name: '李四', relation: '配偶', idNumber: ID_B.toLowerCase(), military: '退役' },
      { ...H2, headName: '王五', name: '王五', relation: '户主', idNumber: ID_C, dateOfBirth: new Date(Date.UTC(1965, 11, 31)) },
    ],
    土地: [
      { ...H1, itemKey: 2, parcelNumber: 'DK-12', landClass: '旱地', areaMu: '0.350', cameIntoBeingOn: '2005/6/1' },
      { ...H1, itemKey: 1, parcelNumber: 'DK-11', landClass: '水田', areaMu: 1.2 + 0.1, cameIntoBeingOn: new Date(Date.UTC(2001, 4, 1)) },
      { ...H2, itemKey: 1, parcelNumber: 'DK-71', landClass: '水田', areaMu: 3 },
    ],
    青苗: [{ ...H1, itemKey: 1, crop: '水稻', areaMu: 0.1 + 0.2, cameIntoBeingOn: '2026年4月1日' }],
    附着物: [{ ...H1, itemKey: 1, item: '坟墓', unit: '座', quantity: 2 }],
    房屋: [
      { ...H1, itemKey: 1, structure: '砖混', floorAreaSquareMetres: '120.5', storeys: 2, cameIntoBeingOn: '2008-09-01', legality: '合法' },
      { ...H2, itemKey: 1, structure: '砖木', floorAreaSquareMetres: 60, storeys: '1' },
    ],
  });
}

function withRow(spec: WorkbookSpec, sheet: string, index: number, change: Record<string, unknown>): WorkbookSpec {
  const copy = structuredClone(spec);
  copy[sheet]![index] = { ...(copy[sheet]![index] as Record<string, unknown>), ...change } as RowSpec;
  return copy;
}
function withExtraRow(spec: WorkbookSpec, sheet: string, row: RowSpec): WorkbookSpec {
  const copy = structuredClone(spec);
  copy[sheet]!.push(row);
  return copy;
}
const keys = (result: SurveyParseResult) => result.households.map((h) => `${h.villageGroupId}/${h.householdNumber}`);

describe('survey workbook import', () => {
  it('reads a good workbook into households: clear normalised ID numbers, exact decimals, Beijing dates, items by 序号', async () => {
    const result = await parseSpec(goodSpec());
    expect(result.errors).toEqual([]);
    expect(result.unusable).toBe(false);
    expect(result.rowCount).toBe(10);
    expect(result.rejected).toEqual([]);
    expect(keys(result)).toEqual(['g1/1', 'g2/7']);
    const [zhang, wang] = result.households;
    expect(zhang).toMatchObject({
      headName: '张三',
      rows: 7,
      members: [
        { name: '张三', relation: '户主', idNumber: ID_A, dateOfBirth: '1970-01-01' },
        { name: '李四', relation: '配偶', idNumber: ID_B, dateOfBirth: '1972-03-04', military: 'retired' },
      ],
      items: {
        // Numeric cells without float drift (1.2+0.1, 0.1+0.2); text trimmed of zeros; by 序号, not row order.
        parcels: [
          { itemId: 'parcel-1', parcelNumber: 'DK-11', landClass: '水田', areaMu: '1.3', cameIntoBeingOn: '2001-05-01' },
          { itemId: 'parcel-2', parcelNumber: 'DK-12', landClass: '旱地', areaMu: '0.35', cameIntoBeingOn: '2005-06-01' },
        ],
        crops: [{ itemId: 'crop-1', crop: '水稻', areaMu: '0.3', cameIntoBeingOn: '2026-04-01' }],
        attachments: [{ itemId: 'attachment-1', item: '坟墓', unit: '座', quantity: '2' }],
        houses: [{ itemId: 'house-1', structure: '砖混', floorAreaSquareMetres: '120.5', storeys: 2, cameIntoBeingOn: '2008-09-01', legality: 'legal' }],
      },
    });
    expect(zhang!.members[0]).not.toHaveProperty('military');
    expect(wang).toMatchObject({ headName: '王五', rows: 3, members: [{ idNumber: ID_C, dateOfBirth: '1965-12-31' }], items: { houses: [{ legality: 'pending', storeys: 1, floorAreaSquareMetres: '60' }] } });
    expect(zhang!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(zhang!.fingerprint).not.toBe(wang!.fingerprint);
  });

  const FUTURE = '2026-09-02';
  it.each<[string, (s: WorkbookSpec) => WorkbookSpec, { sheet: string; row: number; header: string; letter: string; code: string }]>([
    ['an unknown village group', (s) => withRow(s, '户及成员', 2, { villageGroupId: 'g9' }), { sheet: '户及成员', row: 4, header: '村民小组编号', letter: 'A', code: 'household.village-group-unknown' }],
    ['an unknown land class', (s) => withRow(s, '土地', 0, { landClass: '林地' }), { sheet: '土地', row: 2, header: '地类', letter: 'E', code: 'household.land-class-unknown' }],
    ['an unknown crop', (s) => withRow(s, '青苗', 0, { crop: '玉米' }), { sheet: '青苗', row: 2, header: '品种', letter: 'D', code: 'household.crop-unknown' }],
    ['an unknown attachment', (s) => withRow(s, '附着物', 0, { item: '围墙' }), { sheet: '附着物', row: 2, header: '名称', letter: 'D', code: 'household.attachment-unknown' }],
    ['an attachment in a unit the standard does not rate', (s) => withRow(s, '附着物', 0, { unit: '口' }), { sheet: '附着物', row: 2, header: '单位', letter: 'E', code: 'household.attachment-unknown' }],
    ['an unknown structure', (s) => withRow(s, '房屋', 1, { structure: '钢结构' }), { sheet: '房屋', row: 3, header: '结构', letter: 'D', code: 'household.structure-unknown' }],
    ['a negative numeric area', (s) => withRow(s, '土地', 1, { areaMu: -1 }), { sheet: '土地', row: 3, header: '面积（亩）', letter: 'F', code: 'household.quantity-negative' }],
    ['a negative text quantity', (s) => withRow(s, '附着物', 0, { quantity: '-0.5' }), { sheet: '附着物', row: 2, header: '数量', letter: 'F', code: 'household.quantity-negative' }],
    ['a malformed area', (s) => withRow(s, '青苗', 0, { areaMu: '1,5' }), { sheet: '青苗', row: 2, header: '面积（亩）', letter: 'E', code: 'household.quantity-malformed' }],
    ['a numeric area with 5 decimals', (s) => withRow(s, '房屋', 0, { floorAreaSquareMetres: 120.12345 }), { sheet: '房屋', row: 2, header: '建筑面积（平方米）', letter: 'E', code: 'household.quantity-precision' }],
    ['a text area with 5 decimals', (s) => withRow(s, '土地', 2, { areaMu: '0.00001' }), { sheet: '土地', row: 4, header: '面积（亩）', letter: 'F', code: 'household.quantity-precision' }],
    ['a wrong check digit', (s) => withRow(s, '户及成员', 0, { idNumber: `${ID_A.slice(0, 17)}${ID_A.endsWith('1') ? '2' : '1'}` }), { sheet: '户及成员', row: 2, header: '身份证号码', letter: 'F', code: 'household.id-number-invalid' }],
    ['an ID number stored as a number', (s) => withRow(s, '户及成员', 2, { idNumber: Number(ID_C) }), { sheet: '户及成员', row: 4, header: '身份证号码', letter: 'F', code: 'household.id-number-numeric' }],
    ['a date that does not exist', (s) => withRow(s, '土地', 0, { cameIntoBeingOn: '2020-02-30' }), { sheet: '土地', row: 2, header: '形成日期', letter: 'G', code: 'household.date-invalid' }],
    ['a date after today', (s) => withRow(s, '青苗', 0, { cameIntoBeingOn: FUTURE }), { sheet: '青苗', row: 2, header: '种植日期', letter: 'F', code: 'household.date-future' }],
    ['a birth date that is not the ID number’s', (s) => withRow(s, '户及成员', 1, { dateOfBirth: '1972-03-05' }), { sheet: '户及成员', row: 3, header: '出生日期', letter: 'G', code: 'household.birth-date-mismatch' }],
    ['a blank required cell', (s) => withRow(s, '户及成员', 1, { name: '  ' }), { sheet: '户及成员', row: 3, header: '成员姓名', letter: 'D', code: 'household.required' }],
    ['a military status not offered', (s) => withRow(s, '户及成员', 1, { military: '预备役' }), { sheet: '户及成员', row: 3, header: '军人情况', letter: 'H', code: 'household.choice-invalid' }],
    ['zero storeys', (s) => withRow(s, '房屋', 1, { storeys: 0 }), { sheet: '房屋', row: 3, header: '层数', letter: 'F', code: 'household.integer-invalid' }],
    ['two heads', (s) => withRow(s, '户及成员', 1, { relation: '户主' }), { sheet: '户及成员', row: 3, header: '与户主关系', letter: 'E', code: 'household.head-duplicate' }],
    ['a head name that is not the head’s', (s) => withRow(s, '户及成员', 1, { headName: '张叁' }), { sheet: '户及成员', row: 3, header: '户主姓名', letter: 'C', code: 'household.head-name-mismatch' }],
    ['a repeated 序号', (s) => withExtraRow(s, '土地', { ...H1, itemKey: 2, parcelNumber: 'DK-13', landClass: '水田', areaMu: 1 }), { sheet: '土地', row: 5, header: '序号', letter: 'C', code: 'household.item-key-duplicate' }],
    ['an item of a household without members', (s) => withExtraRow(s, '房屋', { villageGroupId: 'g1', householdNumber: '99', itemKey: 1, structure: '砖混', floorAreaSquareMetres: 10, storeys: 1 }), { sheet: '房屋', row: 4, header: '户编号', letter: 'B', code: 'household.items-without-members' }],
  ])('refuses %s at its sheet, row and column, and the whole household with it', async (_, change, expected) => {
    const result = await parseSpec(change(goodSpec()));
    expect(result.errors).toContainEqual({ sheet: expected.sheet, row: expected.row, column: { header: expected.header, letter: expected.letter }, code: expected.code, message: expect.stringMatching(/\p{Script=Han}/u) });
    expect(result.unusable).toBe(false);
    // Only the erring household is left out (an item of no household leaves both in).
    expect(result.households.length + result.rejected.length).toBe(2);
    expect(result.households.length).toBe(expected.code === 'household.items-without-members' ? 2 : 1);
  });

  it('refuses a member in two households in both, at both rows', async () => {
    const result = await parseSpec(withRow(goodSpec(), '户及成员', 2, { idNumber: ID_A, dateOfBirth: undefined }));
    const at = (row: number) => ({ sheet: '户及成员', row, column: { header: '身份证号码', letter: 'F' }, code: 'household.member-in-two-households', message: expect.any(String) });
    expect(result.errors).toEqual([at(2), at(4)]);
    expect(result.households).toEqual([]);
    expect(result.rejected).toEqual([
      { ...H1, rows: 7, errors: 1 },
      { ...H2, rows: 3, errors: 1 },
    ]);
  });

  it('imports the good households of a mixed file and leaves out every row of a bad one, reporting every error', async () => {
    const spec = withExtraRow(goodSpec(), '户及成员', { villageGroupId: 'g1', householdNumber: '2', headName: '赵六', name: '赵六', relation: '户主', idNumber: idNumber('1980-08-08', 44) });
    spec['土地']!.push({ villageGroupId: 'g1', householdNumber: '2', itemKey: 1, parcelNumber: 'DK-21', landClass: '水田', areaMu: 2 });
    // 王五's house and one of his parcels are wrong: both errors are reported, and none of his rows is imported.
    const bad = withRow(withRow(spec, '房屋', 1, { storeys: 'two' }), '土地', 2, { areaMu: 'x' });
    const result = await parseSpec(bad);
    expect(keys(result)).toEqual(['g1/1', 'g1/2']);
    expect(result.rejected).toEqual([{ ...H2, rows: 3, errors: 2 }]);
    expect(result.errors.map((e) => [e.sheet, e.row, e.column?.letter, e.code])).toEqual([
      ['土地', 4, 'F', 'household.quantity-malformed'],
      ['房屋', 3, 'F', 'household.integer-invalid'],
    ]);
    const good = await parseSpec(spec);
    expect(result.households).toEqual(good.households.filter((h) => h.villageGroupId === 'g1'));
  });

  it('parses the same content identically, fingerprints included, however often it is written and however it is chunked', async () => {
    const spec = generatedSpec(40);
    const first = await writeWorkbook(spec);
    const again = await parse(first);
    const rewritten = await parse(await writeWorkbook(spec));
    // Chinese text split across chunk boundaries must survive (exceljs 4.4.0 alone garbles it).
    const trickled = await parseSurveyWorkbook(Readable.from((function* () {
      for (let i = 0; i < first.length; i += 7) yield first.subarray(i, i + 7);
    })()), OPTIONS);
    const once = await parse(first);
    expect(once.households).toHaveLength(40);
    expect(again).toEqual(once);
    expect(rewritten).toEqual(once);
    expect(trickled).toEqual(once);
    expect(JSON.stringify(once)).not.toContain('\ufffd');
  });

  it('changes only the fingerprints of the households a corrected file changes', async () => {
    const original = generatedSpec(20);
    // Household 9 had an error; 5 and 12 are corrected; the rows are reordered too.
    const broken = withRow(original, '青苗', 8 * 3, { crop: '玉米' });
    const corrected = structuredClone(original);
    corrected['青苗']![4 * 3] = { ...(corrected['青苗']![4 * 3] as object), areaMu: '9.75' };
    corrected['户及成员']![11 * 3 + 1] = { ...(corrected['户及成员']![11 * 3 + 1] as object), name: '配偶十二' };
    corrected['土地']!.reverse();
    const before = await parseSpec(broken);
    const after = await parseSpec(corrected);
    expect(before.rejected.map((h) => h.householdNumber)).toEqual(['9']);
    const fingerprints = (r: SurveyParseResult) => new Map(r.households.map((h) => [h.householdNumber, h.fingerprint]));
    const [was, now] = [fingerprints(before), fingerprints(after)];
    const changed = [...now.keys()].filter((n) => was.get(n) !== now.get(n));
    expect(changed.sort()).toEqual(['12', '5', '9']);
    expect(was.has('9')).toBe(false);
  });

  it('refuses a file without a survey sheet or a required column as unusable: nothing is imported', async () => {
    const withoutHouses = goodSpec();
    delete withoutHouses['房屋'];
    const noSheet = await parseSpec(withoutHouses);
    expect(noSheet.unusable).toBe(true);
    expect(noSheet.households).toEqual([]);
    expect(noSheet.errors).toContainEqual({ sheet: '房屋', row: 1, code: 'workbook.sheet-missing', message: expect.any(String) });

    const noIdColumn = await parseSpec(goodSpec(), { 户及成员: ['村民小组编号', '户编号', '户主姓名', '成员姓名', '与户主关系', '出生日期'] });
    expect(noIdColumn.unusable).toBe(true);
    expect(noIdColumn.households).toEqual([]);
    expect(noIdColumn.rejected).toHaveLength(2);
    expect(noIdColumn.errors).toContainEqual({ sheet: '户及成员', row: 1, code: 'workbook.column-missing', message: expect.stringContaining('身份证号码') });
  });

  it('finds columns by header text, so moved columns and half-width brackets still read', async () => {
    const headers = ['户编号', '村民小组编号', '序号', '面积(亩)', '地类', '地块编号', '备注', '形成日期'];
    const result = await parseSpec(goodSpec(), { 土地: headers });
    expect(result.errors).toEqual([]);
    expect(result.households[0]!.items.parcels[0]).toMatchObject({ itemId: 'parcel-1', areaMu: '1.3', landClass: '水田' });
  });

  it('refuses what is not an xlsx, and a file over the row limit, as bad input', async () => {
    await expect(parse(new TextEncoder().encode('村民小组编号,户编号\ng1,1\n'))).rejects.toMatchObject({ code: 'workbook.unreadable', category: 'validation' });
    await expect(parse(await writeWorkbook(generatedSpec(2)), { maxRows: 20 })).rejects.toMatchObject({ code: 'workbook.too-many-rows', category: 'validation' });
  });

  it('passes a source that breaks off (an S3 read) on as it is, not as a bad file', async () => {
    const bytes = await writeWorkbook(generatedSpec(20));
    const broken = new Error('read ECONNRESET');
    Object.assign(broken, { code: 'ECONNRESET' });
    const source = Readable.from((async function* () {
      yield bytes.subarray(0, 4096);
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw broken;
    })());
    await expect(parseSurveyWorkbook(source, OPTIONS)).rejects.toBe(broken);
  });

  it('reports progress as rows are read and the total at the end', async () => {
    const seen: number[] = [];
    const result = await parse(await writeWorkbook(generatedSpec(5)), { onProgress: (n) => seen.push(n), progressEvery: 10 });
    expect(result.rowCount).toBe(75);
    expect(seen).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(result.households.reduce((n, h) => n + h.rows, 0)).toBe(75);
  });

  it('parses 2,000 households of 15 rows (time and heap printed, not asserted)', async () => {
    const bytes = await writeWorkbook(generatedSpec(2000));
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    const sample = () => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    };
    const started = performance.now();
    const result = await parse(bytes, { onProgress: sample, progressEvery: 500 });
    sample();
    const ms = performance.now() - started;
    expect(result.errors).toEqual([]);
    expect(result.households).toHaveLength(2000);
    expect(result.rowCount).toBe(30_000);
    console.log(`survey import: 2,000 households / 30,000 rows / ${(bytes.length / 1024).toFixed(0)} KiB xlsx parsed in ${ms.toFixed(0)} ms (${Math.round(30_000 / (ms / 1000))} rows/s); heapUsed ${(heapBefore / 2 ** 20).toFixed(1)} MiB before, peak ${(peak / 2 ** 20).toFixed(1)} MiB`);
  });
});

describe('survey template', () => {
  const longStandard: CompensationStandard = {
    ...STANDARD,
    attachmentRates: [...STANDARD.attachmentRates, ...Array.from({ length: 60 }, (_, i) => ({ item: `地上附着物项目第${i + 1}号`, unit: '项', fenPerUnit: 100 }))],
  };

  it('has a sheet per kind with Chinese headers, an example row, and drop-downs from the standard on a hidden sheet', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await surveyTemplate(longStandard, VILLAGE_GROUPS)) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => [w.name, w.state])).toEqual([
      ['填写说明', 'visible'],
      ['下拉选项', 'hidden'],
      ['户及成员', 'visible'],
      ['土地', 'visible'],
      ['青苗', 'visible'],
      ['附着物', 'visible'],
      ['房屋', 'visible'],
    ]);
    const members = workbook.getWorksheet('户及成员')!;
    expect(members.getRow(1).values).toEqual([undefined, '村民小组编号', '户编号', '户主姓名', '成员姓名', '与户主关系', '身份证号码', '出生日期', '军人情况']);
    expect(members.getCell('B2').value).toBe('示例');
    expect(members.getCell('A3').dataValidation).toMatchObject({ type: 'list', formulae: ["'下拉选项'!$A$2:$A$3"] });
    expect(members.getColumn(6).numFmt).toBe('@');
    // 63 attachment names are far over Excel's 255-character list literal: a range on the hidden sheet.
    const items = workbook.getWorksheet('下拉选项')!;
    expect(items.getCell('D64').value).toBe('地上附着物项目第60号');
    expect(workbook.getWorksheet('附着物')!.getCell('D100').dataValidation).toMatchObject({ type: 'list', formulae: ["'下拉选项'!$D$2:$D$64"] });
    expect(workbook.getWorksheet('房屋')!.getCell('H5').dataValidation).toMatchObject({ type: 'list', formulae: ['"合法,违法,待认定"'] });
  });

  it('round-trips: the blank template imports nothing, and a filled-in one imports its households', async () => {
    const template = await surveyTemplate(longStandard, VILLAGE_GROUPS);
    const blank = await parse(template, { standard: longStandard });
    expect(blank).toEqual({ households: [], rejected: [], errors: [], rowCount: 0, unusable: false });

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(template) as unknown as ArrayBuffer);
    const fill = (sheet: string, rows: Array<Record<string, unknown>>) => {
      const worksheet = workbook.getWorksheet(sheet)!;
      const header = (worksheet.getRow(1).values as string[]).slice(1);
      // By header, as a clerk fills it in.
      const columns = SURVEY_SHEETS.find((s) => s.name === sheet)!.columns;
      for (const row of rows) worksheet.addRow(header.map((h) => row[columns.find((c) => c.header === h)!.key] ?? null));
    };
    const spec = goodSpec();
    for (const [sheet, rows] of Object.entries(spec)) fill(sheet, rows as Array<Record<string, unknown>>);
    fill('附着物', [{ ...H2, itemKey: 1, item: '地上附着物项目第60号', unit: '项', quantity: '1.0001' }]);
    const filled = new Uint8Array(await workbook.xlsx.writeBuffer());

    const result = await parse(filled, { standard: longStandard });
    expect(result.errors).toEqual([]);
    expect(result.rowCount).toBe(11);
    const direct = await parse(await writeWorkbook(spec), { standard: longStandard });
    expect(result.households[0]).toEqual(direct.households[0]);
    expect(result.households[1]!.items.attachments).toEqual([{ itemId: 'attachment-1', item: '地上附着物项目第60号', unit: '项', quantity: '1.0001' }]);
  });
});

