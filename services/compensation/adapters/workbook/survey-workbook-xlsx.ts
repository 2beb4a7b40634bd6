import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ValidationError } from '../../../../shared/errors.ts';
import type { VillageGroup } from '../../../../shared/cases/project.ts';
import type { CompensationStandard } from '../../domain/plan.ts';
import { worksheetsOf } from './worksheet-stream.ts';
import {
  EXAMPLE_MARKER,
  LEGALITY_CHOICES,
  MILITARY_CHOICES,
  SURVEY_SHEETS,
  SurveyWorkbookReader,
  columnLetter,
  listValues,
  type CellValue,
  type ListName,
  type SheetKind,
  type SurveyParseResult,
  type SurveyWorkbookOptions,
} from '../../domain/survey-workbook.ts';

/**
 * The survey workbook as .xlsx, with exceljs: the template out (in memory: it is small) and the
 * import in (streaming: a project's workbook can hold tens of thousands of rows). What the
 * columns are and how a cell is judged is the domain's (domain/survey-workbook.ts).
 */

const LISTS_SHEET = '下拉选项';
const INSTRUCTIONS_SHEET = '填写说明';
/** Rows the template's drop-downs and formats cover (a project's largest sheet stays well below). */
export const TEMPLATE_ROWS = 20_000;
const LIST_ORDER: ListName[] = ['villageGroups', 'landClasses', 'crops', 'attachmentItems', 'attachmentUnits', 'structures', 'relations'];

/** One example row per sheet; 户编号 示例 marks it, and the import skips it. */
function exampleRow(kind: SheetKind, lists: Record<ListName, string[]>): Record<string, string | number> {
  const key = { villageGroupId: lists.villageGroups[0] ?? '', householdNumber: EXAMPLE_MARKER };
  switch (kind) {
    case 'members':
      return { ...key, headName: '张三', name: '张三', relation: '户主', idNumber: '11010519491231002X', dateOfBirth: '1949-12-31', military: '' };
    case 'parcels':
      return { ...key, itemKey: 1, parcelNumber: 'DK-001', landClass: lists.landClasses[0] ?? '', areaMu: '1.25', cameIntoBeingOn: '2010-03-01' };
    case 'crops':
      return { ...key, itemKey: 1, crop: lists.crops[0] ?? '', areaMu: '0.8', cameIntoBeingOn: '2025-03-15' };
    case 'attachments':
      return { ...key, itemKey: 1, item: lists.attachmentItems[0] ?? '', unit: lists.attachmentUnits[0] ?? '', quantity: '3', cameIntoBeingOn: '2015-06-01' };
    case 'houses':
      return { ...key, itemKey: 1, structure: lists.structures[0] ?? '', floorAreaSquareMetres: '120.5', storeys: 2, cameIntoBeingOn: '2008-09-01', legality: '待认定' };
  }
}

/**
 * The project's survey template: one sheet per kind with Chinese headers, an example row, and
 * drop-downs from the project's standard and village groups. The standard's lists live on a
 * hidden sheet and the drop-downs refer to its ranges: an inline list is limited to 255 characters.
 */
export async function surveyTemplate(standard: CompensationStandard, villageGroups: ReadonlyArray<Pick<VillageGroup, 'id' | 'name' | 'village'>>): Promise<Uint8Array> {
  const lists = listValues(standard, villageGroups.map((g) => g.id));
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '征地拆迁联动系统';

  const instructions = workbook.addWorksheet(INSTRUCTIONS_SHEET);
  instructions.columns = [{ width: 16 }, { width: 20 }, { width: 20 }];
  for (const line of [
    ['入户调查表填写说明'],
    ['1. 每户以“村民小组编号 + 户编号”识别；“户及成员”表每名成员一行，户主的“与户主关系”填“户主”。'],
    ['2. 土地、青苗、附着物、房屋各表每项一行，填写所属户的村民小组编号、户编号，“序号”在本户本表内不得重复；重新导入时按序号替换该户的调查项目。'],
    ['3. 地类、青苗品种、附着物名称与单位、房屋结构须为本项目补偿标准中的项目（见下拉列表）；面积、数量为非负数，最多4位小数；日期填“年-月-日”。'],
    ['4. 身份证号码请以文本格式填写（本列已设为文本）。'],
    [`5. 户编号为“${EXAMPLE_MARKER}”的行为示例，导入时跳过，可删除。`],
    ['6. 一户中任何一行有错误，该户整户不导入；其他户照常导入。'],
    [],
    ['村民小组编号', '村民小组', '村'],
    ...villageGroups.map((g) => [g.id, g.name, g.village]),
  ]) {
    instructions.addRow(line);
  }

  const hidden = workbook.addWorksheet(LISTS_SHEET, { state: 'hidden' });
  const ranges = new Map<ListName, string>();
  LIST_ORDER.forEach((name, i) => {
    const column = i + 1;
    hidden.getCell(1, column).value = name;
    lists[name].forEach((value, j) => {
      hidden.getCell(j + 2, column).value = value;
    });
    const letter = columnLetter(column);
    // An empty list still gets a one-cell range, so the drop-down exists (and offers nothing).
    ranges.set(name, `'${LISTS_SHEET}'!$${letter}$2:$${letter}$${Math.max(2, lists[name].length + 1)}`);
  });

  for (const def of SURVEY_SHEETS) {
    const sheet = workbook.addWorksheet(def.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = def.columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    def.columns.forEach((c, i) => {
      if (c.required) header.getCell(i + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
    });
    const example = sheet.addRow(exampleRow(def.kind, lists));
    example.font = { italic: true, color: { argb: 'FF808080' } };

    def.columns.forEach((column, i) => {
      const letter = columnLetter(i + 1);
      const range = `${letter}2:${letter}${TEMPLATE_ROWS + 1}`;
      if (column.kind === 'id-number') sheet.getColumn(i + 1).numFmt = '@';
      if (column.kind === 'date') sheet.getColumn(i + 1).numFmt = 'yyyy-mm-dd';
      const prompt = column.hint ? { showInputMessage: true, promptTitle: column.header, prompt: column.hint } : {};
      const choices = column.key === 'military' ? Object.keys(MILITARY_CHOICES) : column.key === 'legality' ? Object.keys(LEGALITY_CHOICES) : undefined;
      if (column.list) {
        // Relations are a suggestion (the model keeps the text); the standard's lists are binding.
        const binding = column.list !== 'relations';
        validationsOf(sheet).add(range, {
          type: 'list',
          allowBlank: !column.required,
          formulae: [ranges.get(column.list)!],
          showErrorMessage: true,
          errorStyle: binding ? 'stop' : 'information',
          errorTitle: column.header,
          error: binding ? `请从下拉列表中选择${column.header}` : '不在常用列表中，请确认',
          ...prompt,
        });
      } else if (choices) {
        validationsOf(sheet).add(range, { type: 'list', allowBlank: true, formulae: [`"${choices.join(',')}"`], showErrorMessage: true, errorStyle: 'stop', error: `只能填写：${choices.join('、')}`, ...prompt });
      } else if (column.kind === 'decimal' || column.kind === 'positive-integer') {
        const decimal = column.kind === 'decimal';
        validationsOf(sheet).add(range, {
          type: decimal ? 'decimal' : 'whole',
          operator: 'greaterThanOrEqual',
          formulae: [decimal ? 0 : 1],
          allowBlank: true,
          showErrorMessage: true,
          errorStyle: 'stop',
          error: decimal ? '须为非负数，最多4位小数' : '须为正整数',
          ...prompt,
        });
      } else if (column.hint) {
        validationsOf(sheet).add(range, { type: 'any', allowBlank: true, ...prompt });
      }
    });
  }
  workbook.getWorksheet(SURVEY_SHEETS[0]!.name)!.state = 'visible';
  workbook.views = [{ x: 0, y: 0, width: 20_000, height: 12_000, firstSheet: 0, activeTab: 1, visibility: 'visible' }];
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** exceljs writes `any` (a prompt without a rule) but its types know neither it nor `dataValidations`. */
type Validation = Omit<ExcelJS.DataValidation, 'type' | 'formulae'> & { type: ExcelJS.DataValidation['type'] | 'any'; formulae?: unknown[] };
function validationsOf(sheet: ExcelJS.Worksheet): { add(range: string, validation: Validation): void } {
  return (sheet as unknown as { dataValidations: { add(range: string, validation: Validation): void } }).dataValidations;
}

export interface ParseSurveyOptions extends SurveyWorkbookOptions {
  /** Called every `progressEvery` rows read (blank and example rows included); the total is known only at the end (`rowCount`). */
  onProgress?: (rowsRead: number) => void;
  progressEvery?: number;
  /** Refuse a file with more data rows than this (protects the job's memory). */
  maxRows?: number;
}

export const DEFAULT_MAX_ROWS = 200_000;

/**
 * Reads a survey workbook from a stream (the job reads the object from S3 as one) with exceljs's
 * streaming reader (worksheet-stream.ts): rows go to the domain one at a time and the workbook
 * model is never built. Shared strings are cached (cells refer to them); each sheet's XML waits
 * in a temporary file until they are read — disk, not memory. Styles are read so date cells
 * arrive as dates. One pass: the total row count is known at the end (`rowCount`).
 */
export async function parseSurveyWorkbook(input: Readable, options: ParseSurveyOptions): Promise<SurveyParseResult> {
  const survey = new SurveyWorkbookReader(options);
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const every = options.progressEvery ?? 1000;
  let rows = 0;
  // A failing source (S3 read broken off) is an outage, not a bad file: it goes out as it is.
  let sourceError: unknown;
  input.on('error', (error) => {
    sourceError = error;
  });
  try {
    for await (const { name, rows: sheetRows } of worksheetsOf(input, { sharedStrings: 'cache', styles: 'cache' })) {
      const wanted = survey.wants(name);
      for await (const row of sheetRows) {
        // An unwanted sheet (instructions, lists) is read through all the same, so its temporary file is closed.
        if (!wanted) continue;
        const cells = cellsOf(row);
        if (row.number === 1) survey.header(name, cells);
        else {
          survey.row(name, row.number, cells);
          if (++rows > maxRows) throw new ValidationError('workbook.too-many-rows', `调查表超过 ${maxRows} 行：请按村民小组拆分后分别导入`);
          if (options.onProgress && rows % every === 0) options.onProgress(rows);
        }
      }
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    if (sourceError !== undefined) throw sourceError;
    throw new ValidationError('workbook.unreadable', '文件无法读取：请上传由调查表模板填写的 .xlsx 文件', { reason: error instanceof Error ? error.message : String(error) });
  }
  return survey.finish();
}

function cellsOf(row: ExcelJS.Row): CellValue[] {
  const cells: CellValue[] = [];
  const values = row.values as ExcelJS.CellValue[];
  for (let i = 1; i < values.length; i++) cells[i] = cellValueOf(values[i]);
  return cells;
}

/** exceljs's cell value as a plain one: rich text joined, a formula's cached result, a link's text. */
export function cellValueOf(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellValueOf((value.result ?? null) as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  if ('text' in value) return typeof value.text === 'string' ? value.text : cellValueOf(value.text as ExcelJS.CellValue);
  return undefined;
}
