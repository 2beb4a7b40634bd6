import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/audit-chain.ts';
import { daysInMonth } from '../../../shared/calendar/days.ts';
import { normaliseIdNumber } from '../../../shared/pii/id-number.ts';
import type { AttachmentItem, CropItem, Decimal, HouseItem, LandParcel, Legality, LocalDate, Member, SurveyItems } from './household.ts';
import { QUANTITY_SCALE } from './household.ts';
import type { CompensationStandard } from './plan.ts';

/**
 * The household survey workbook (入户调查表): its sheets and columns, and the rules that turn its
 * rows into households. The one definition both the template and the import use; pure — the
 * adapter (adapters/workbook/) reads and writes the .xlsx with exceljs and feeds rows in here.
 *
 * Households are keyed by (村民小组编号, 户编号). Every item row carries 序号, its key within the
 * household and sheet, so a re-import replaces a household's items deterministically. A row whose
 * 户编号 is 示例 is the template's example and is skipped.
 */

export const EXAMPLE_MARKER = '示例';

/** A cell as read: exceljs gives dates as Date at UTC midnight of the Excel day (Excel dates have no zone). */
export type CellValue = string | number | boolean | Date | undefined;

export type SheetKind = 'members' | 'parcels' | 'crops' | 'attachments' | 'houses';

/** Lists the template offers as drop-downs; the standard's lists are also checked on import. */
export type ListName = 'villageGroups' | 'landClasses' | 'crops' | 'attachmentItems' | 'attachmentUnits' | 'structures' | 'relations';

export type ColumnKind = 'text' | 'decimal' | 'positive-integer' | 'date' | 'id-number' | 'choice';

export interface ColumnDef {
  key: string;
  header: string;
  required: boolean;
  kind: ColumnKind;
  /** Drop-down in the template; for standard lists the value must be in the standard. */
  list?: ListName;
  /** Fixed choices: cell text → stored value. */
  choices?: Readonly<Record<string, string>>;
  /** Shown as the cell's input prompt in the template. */
  hint?: string;
  width: number;
}

export interface SheetDef {
  kind: SheetKind;
  name: string;
  /** Item sheets: the item id's prefix (`parcel-3`). */
  itemPrefix?: string;
  columns: ColumnDef[];
}

const KEY_COLUMNS: ColumnDef[] = [
  { key: 'villageGroupId', header: '村民小组编号', required: true, kind: 'text', list: 'villageGroups', width: 14, hint: '从下拉列表选择项目中的村民小组编号' },
  { key: 'householdNumber', header: '户编号', required: true, kind: 'text', width: 10, hint: '乡镇编定的户编号，组内唯一' },
];
const ITEM_KEY: ColumnDef = { key: 'itemKey', header: '序号', required: true, kind: 'positive-integer', width: 8, hint: '本户本表内的序号（正整数，不得重复）；重新导入时按序号替换' };

export const MILITARY_CHOICES = { 现役: 'serving', 退役: 'retired' } as const;
export const LEGALITY_CHOICES = { 合法: 'legal', 违法: 'illegal', 待认定: 'pending' } as const;
/** Offered, not enforced: the model keeps the relation as text. */
export const RELATIONS = ['户主', '配偶', '子女', '父母', '儿媳', '女婿', '孙子女', '兄弟姐妹', '祖父母', '其他'];
export const HEAD_RELATION = '户主';

export const SURVEY_SHEETS: readonly SheetDef[] = [
  {
    kind: 'members',
    name: '户及成员',
    columns: [
      ...KEY_COLUMNS,
      { key: 'headName', header: '户主姓名', required: true, kind: 'text', width: 10 },
      { key: 'name', header: '成员姓名', required: true, kind: 'text', width: 10 },
      { key: 'relation', header: '与户主关系', required: true, kind: 'text', list: 'relations', width: 10 },
      { key: 'idNumber', header: '身份证号码', required: true, kind: 'id-number', width: 22, hint: '18位身份证号码，请以文本格式填写' },
      { key: 'dateOfBirth', header: '出生日期', required: false, kind: 'date', width: 12, hint: '可不填：按身份证号码取得' },
      { key: 'military', header: '军人情况', required: false, kind: 'choice', choices: MILITARY_CHOICES, width: 10, hint: '现役、退役或空白' },
    ],
  },
  {
    kind: 'parcels',
    name: '土地',
    itemPrefix: 'parcel',
    columns: [
      ...KEY_COLUMNS,
      ITEM_KEY,
      { key: 'parcelNumber', header: '地块编号', required: true, kind: 'text', width: 12 },
      { key: 'landClass', header: '地类', required: true, kind: 'text', list: 'landClasses', width: 10 },
      { key: 'areaMu', header: '面积（亩）', required: true, kind: 'decimal', width: 12, hint: '非负数，最多4位小数' },
      { key: 'cameIntoBeingOn', header: '形成日期', required: false, kind: 'date', width: 12 },
    ],
  },
  {
    kind: 'crops',
    name: '青苗',
    itemPrefix: 'crop',
    columns: [
      ...KEY_COLUMNS,
      ITEM_KEY,
      { key: 'crop', header: '品种', required: true, kind: 'text', list: 'crops', width: 10 },
      { key: 'areaMu', header: '面积（亩）', required: true, kind: 'decimal', width: 12, hint: '非负数，最多4位小数' },
      { key: 'cameIntoBeingOn', header: '种植日期', required: false, kind: 'date', width: 12 },
    ],
  },
  {
    kind: 'attachments',
    name: '附着物',
    itemPrefix: 'attachment',
    columns: [
      ...KEY_COLUMNS,
      ITEM_KEY,
      { key: 'item', header: '名称', required: true, kind: 'text', list: 'attachmentItems', width: 12 },
      { key: 'unit', header: '单位', required: true, kind: 'text', list: 'attachmentUnits', width: 8 },
      { key: 'quantity', header: '数量', required: true, kind: 'decimal', width: 10, hint: '非负数，最多4位小数' },
      { key: 'cameIntoBeingOn', header: '建成日期', required: false, kind: 'date', width: 12 },
    ],
  },
  {
    kind: 'houses',
    name: '房屋',
    itemPrefix: 'house',
    columns: [
      ...KEY_COLUMNS,
      ITEM_KEY,
      { key: 'structure', header: '结构', required: true, kind: 'text', list: 'structures', width: 10 },
      { key: 'floorAreaSquareMetres', header: '建筑面积（平方米）', required: true, kind: 'decimal', width: 16, hint: '非负数，最多4位小数' },
      { key: 'storeys', header: '层数', required: true, kind: 'positive-integer', width: 8 },
      { key: 'cameIntoBeingOn', header: '建成日期', required: false, kind: 'date', width: 12 },
      { key: 'legality', header: '合法性', required: false, kind: 'choice', choices: LEGALITY_CHOICES, width: 10, hint: '合法、违法或待认定；空白为待认定（以区政府组织认定为准）' },
    ],
  },
];

export function sheetDef(kind: SheetKind): SheetDef {
  return SURVEY_SHEETS.find((s) => s.kind === kind)!;
}

/** The values of each drop-down list, from the project's standard and village groups. */
export function listValues(standard: CompensationStandard, villageGroupIds: readonly string[]): Record<ListName, string[]> {
  const unique = (xs: string[]) => [...new Set(xs)];
  return {
    villageGroups: [...villageGroupIds],
    landClasses: unique(standard.landRates.map((r) => r.landClass)),
    crops: unique(standard.cropRates.map((r) => r.crop)),
    attachmentItems: unique(standard.attachmentRates.map((r) => r.item)),
    attachmentUnits: unique(standard.attachmentRates.map((r) => r.unit)),
    structures: unique(standard.houseRates.map((r) => r.structure)),
    relations: RELATIONS,
  };
}

/** `1` → `A`, `28` → `AB`. */
export function columnLetter(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

// ---------------------------------------------------------------------------------------------
// Cells

export type CellResult = { ok: true; value: string | number | undefined } | { ok: false; code: string; message: string };

const fail = (code: string, message: string): CellResult => ({ ok: false, code, message });

/** Excel keeps 15 significant digits; beyond 1e15 a quantity is not a quantity. */
const MAX_NUMERIC = 1e15;

/**
 * An exact decimal from a cell: text as written, or a numeric cell formatted to Excel's 15
 * significant digits (so 0.1+0.2 reads 0.3, not 0.30000000000000004). Canonical form: no leading
 * or trailing zeros (`012.50` → `12.5`), so equal quantities fingerprint alike. Refuses negatives,
 * anything not a plain number, and more than QUANTITY_SCALE decimals.
 */
export function decimalOfCell(value: string | number): CellResult {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) >= MAX_NUMERIC) return fail('household.quantity-malformed', '数值无效或过大');
    if (value < 0) return fail('household.quantity-negative', '数量、面积不能为负数');
    text = value.toPrecision(15);
    // Exponent notation below 1e-6: certainly more decimals than allowed (0 has no exponent).
    if (text.includes('e')) return fail('household.quantity-precision', `最多${QUANTITY_SCALE}位小数`);
  } else {
    text = value.trim();
    if (/^-\s*\d/.test(text)) return fail('household.quantity-negative', '数量、面积不能为负数');
    if (!/^\+?\d+(\.\d+)?$/.test(text)) return fail('household.quantity-malformed', `“${value}”不是有效的数值`);
  }
  const [whole = '0', fraction = ''] = text.replace(/^\+/, '').split('.');
  const decimals = fraction.replace(/0+$/, '');
  if (decimals.length > QUANTITY_SCALE) return fail('household.quantity-precision', `最多${QUANTITY_SCALE}位小数`);
  const integer = whole.replace(/^0+(?=\d)/, '');
  return { ok: true, value: decimals ? `${integer}.${decimals}` : integer };
}

/** A calendar date from a date cell, `YYYY-MM-DD` / `YYYY/M/D` / `YYYY.M.D` / `YYYY年M月D日` text, or an 8-digit `YYYYMMDD`. */
export function dateOfCell(value: string | number | Date): CellResult {
  let y: number;
  let m: number;
  let d: number;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return fail('household.date-invalid', '日期无效');
    [y, m, d] = [value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()];
  } else {
    const text = String(value).trim();
    const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
    if (!match) return fail('household.date-invalid', `“${text}”不是有效日期（应为 年-月-日，如 2020-03-15）`);
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return fail('household.date-invalid', '日期不存在');
  return { ok: true, value: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

function textOfCell(value: Exclude<CellValue, undefined>): string {
  if (value instanceof Date) {
    const date = dateOfCell(value);
    return date.ok ? String(date.value) : '';
  }
  if (typeof value === 'number') {
    const decimal = Number.isInteger(value) ? undefined : decimalOfCell(Math.abs(value));
    return decimal?.ok ? `${value < 0 ? '-' : ''}${decimal.value}` : String(value);
  }
  return String(value).trim();
}

export interface ReadContext {
  lists: Record<ListName, ReadonlySet<string>>;
  /** Today in Beijing: no date of the survey may be after it. */
  today: LocalDate;
}

const LIST_ERRORS: Partial<Record<ListName, { code: string; what: string }>> = {
  villageGroups: { code: 'household.village-group-unknown', what: '项目中没有该村民小组' },
  landClasses: { code: 'household.land-class-unknown', what: '补偿标准中没有该地类' },
  crops: { code: 'household.crop-unknown', what: '补偿标准中没有该青苗品种' },
  attachmentItems: { code: 'household.attachment-unknown', what: '补偿标准中没有该附着物' },
  structures: { code: 'household.structure-unknown', what: '补偿标准中没有该房屋结构' },
};

/** One cell against its column: the parsed value, or why it is refused. Blank is `undefined`. */
export function readCell(column: ColumnDef, raw: CellValue, ctx: ReadContext): CellResult {
  if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
    return column.required ? fail('household.required', `“${column.header}”必须填写`) : { ok: true, value: undefined };
  }
  switch (column.kind) {
    case 'text': {
      const text = textOfCell(raw);
      const listed = column.list && LIST_ERRORS[column.list];
      if (listed && !ctx.lists[column.list!].has(text)) return fail(listed.code, `${listed.what}：${text}`);
      return { ok: true, value: text };
    }
    case 'decimal':
      if (typeof raw !== 'number' && typeof raw !== 'string') return fail('household.quantity-malformed', `“${column.header}”须为数值`);
      return decimalOfCell(raw);
    case 'positive-integer': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < 1) return fail('household.integer-invalid', `“${column.header}”须为正整数`);
      return { ok: true, value: n };
    }
    case 'date': {
      if (typeof raw === 'boolean' || (typeof raw === 'number' && !/^\d{8}$/.test(String(raw)))) {
        return fail('household.date-invalid', `“${column.header}”不是有效日期（应为 年-月-日，如 2020-03-15）`);
      }
      const date = dateOfCell(raw);
      if (date.ok && String(date.value) > ctx.today) return fail('household.date-future', `“${column.header}”${String(date.value)}晚于今天（${ctx.today}）`);
      return date;
    }
    case 'id-number': {
      // 18 digits do not survive a numeric cell (Excel keeps 15): the number is already wrong.
      if (typeof raw === 'number') return fail('household.id-number-numeric', '身份证号码被保存为数字，后几位已丢失：请将该列设为文本格式后重新填写');
      try {
        return { ok: true, value: normaliseIdNumber(String(raw)) };
      } catch {
        return fail('household.id-number-invalid', '身份证号码格式或校验位不正确');
      }
    }
    case 'choice': {
      const text = textOfCell(raw);
      const value = column.choices?.[text];
      if (value === undefined) return fail('household.choice-invalid', `“${column.header}”只能填写：${Object.keys(column.choices ?? {}).join('、')}`);
      return { ok: true, value };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rows → households

export interface RowError {
  sheet: string;
  /** 1-based Excel row. */
  row: number;
  /** The column, by its header text and letter as it stands in the file. */
  column?: { header: string; letter: string };
  code: string;
  message: string;
}

export interface ParsedMember extends Omit<Member, 'memberId' | 'idNumberMasked'> {
  /** CLEAR, normalised: the use case seals it in the PII vault and keeps only the mask. */
  idNumber: string;
}

export interface ParsedHousehold {
  villageGroupId: string;
  householdNumber: string;
  headName: string;
  /** In the workbook's row order. */
  members: ParsedMember[];
  /** Each list ordered by 序号; items carry no determination (that is the district's, not the survey's). */
  items: SurveyItems;
  /** Data rows of the household across the sheets: the job's progress unit. */
  rows: number;
  /**
   * SHA-256 (hex) of the canonical content above. It is derived from clear ID numbers: store it
   * only keyed (PiiVault.mac), never as is — see decision 0016.
   */
  fingerprint: string;
}

export interface RejectedHousehold {
  villageGroupId: string;
  householdNumber: string;
  rows: number;
  errors: number;
}

export interface SurveyParseResult {
  /** Households free of errors, in the order of their first row on 户及成员. */
  households: ParsedHousehold[];
  /** Households with at least one error in any of their rows: none of their rows may be applied. */
  rejected: RejectedHousehold[];
  /** Every error, by sheet (definition order), row and column. */
  errors: RowError[];
  /** Data rows read (headers, blank and example rows not counted). */
  rowCount: number;
  /** A sheet or a required column is missing: nothing may be imported from this file. */
  unusable: boolean;
}

export interface SurveyWorkbookOptions {
  standard: CompensationStandard;
  villageGroupIds: readonly string[];
  today: LocalDate;
}

type Fields = Record<string, string | number | undefined>;

interface ReadRow {
  row: number;
  key: string | undefined;
  fields: Fields;
  failed: boolean;
}

interface SheetState {
  def: SheetDef;
  /** Column number (1-based) of each column key in this file. */
  positions: Map<string, number> | undefined;
  rows: ReadRow[];
}

const householdKey = (group: string, number: string) => `${group}\u0000${number}`;
const normaliseHeader = (text: string) => text.replace(/\s/g, '').replaceAll('（', '(').replaceAll('）', ')').replace(/\*+$/, '');

/**
 * Builds households from the rows of a survey workbook, fed sheet by sheet in any order (a zip's
 * entries come as the writer put them). Rows are checked cell by cell as they come and kept as
 * small records; the checks across rows (heads, members in two households, items without a
 * household, repeated 序号) and the all-or-nothing verdict per household run in `finish`.
 */
export class SurveyWorkbookReader {
  #ctx: ReadContext;
  #attachmentPairs: ReadonlySet<string>;
  #sheets = new Map<string, SheetState>();
  #errors: RowError[] = [];
  #rowCount = 0;

  constructor(options: SurveyWorkbookOptions) {
    const lists = {} as Record<ListName, ReadonlySet<string>>;
    for (const [name, values] of Object.entries(listValues(options.standard, options.villageGroupIds)) as Array<[ListName, string[]]>) lists[name] = new Set(values);
    this.#ctx = { today: options.today, lists };
    this.#attachmentPairs = new Set(options.standard.attachmentRates.map((r) => `${r.item}\u0000${r.unit}`));
    for (const def of SURVEY_SHEETS) this.#sheets.set(def.name, { def, positions: undefined, rows: [] });
  }

  /** Whether a sheet of this name is one of the survey's (others — instructions, lists — are skipped). */
  wants(sheetName: string): boolean {
    return this.#sheets.has(sheetName.trim());
  }

  get rowCount(): number {
    return this.#rowCount;
  }

  /** Row 1 of a sheet. Columns are found by header text, so inserted or moved columns still read. */
  header(sheetName: string, cells: readonly CellValue[]): void {
    const state = this.#sheets.get(sheetName.trim());
    if (!state) return;
    const found = new Map<string, number>();
    cells.forEach((cell, i) => {
      if (typeof cell !== 'string') return;
      const column = state.def.columns.find((c) => normaliseHeader(c.header) === normaliseHeader(cell));
      if (column && !found.has(column.key)) found.set(column.key, i);
    });
    state.positions = found;
    for (const column of state.def.columns) {
      if (column.required && !found.has(column.key)) {
        this.#errors.push({ sheet: state.def.name, row: 1, code: 'workbook.column-missing', message: `工作表“${state.def.name}”缺少必填列“${column.header}”：请使用项目的调查表模板` });
      }
    }
  }

  /** A data row (row ≥ 2); `cells[n]` is column n (1-based, as exceljs gives them). */
  row(sheetName: string, rowNumber: number, cells: readonly CellValue[]): void {
    const state = this.#sheets.get(sheetName.trim());
    if (!state?.positions) return;
    const { def, positions } = state;
    if (cells.every((c) => c === undefined || (typeof c === 'string' && c.trim() === ''))) return;
    const numberCell = cells[positions.get('householdNumber') ?? -1];
    if (typeof numberCell === 'string' && numberCell.trim() === EXAMPLE_MARKER) return;
    this.#rowCount++;

    const fields: Fields = {};
    const failedKeys = new Set<string>();
    for (const column of def.columns) {
      const position = positions.get(column.key);
      if (position === undefined) continue;
      const result = readCell(column, cells[position], this.#ctx);
      if (result.ok) fields[column.key] = result.value;
      else {
        failedKeys.add(column.key);
        this.#error(def.name, rowNumber, column.key, result.code, result.message);
      }
    }
    const idNumber = fields['idNumber'];
    if (def.kind === 'members' && typeof idNumber === 'string' && !failedKeys.has('dateOfBirth')) {
      const fromId = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
      if (fields['dateOfBirth'] === undefined) fields['dateOfBirth'] = fromId;
      else if (fields['dateOfBirth'] !== fromId) {
        failedKeys.add('dateOfBirth');
        this.#error(def.name, rowNumber, 'dateOfBirth', 'household.birth-date-mismatch', `出生日期与身份证号码（${fromId}）不一致`);
      }
    }
    const { item, unit } = fields;
    if (def.kind === 'attachments' && typeof item === 'string' && typeof unit === 'string' && !this.#attachmentPairs.has(`${item}\u0000${unit}`)) {
      failedKeys.add('unit');
      this.#error(def.name, rowNumber, 'unit', 'household.attachment-unknown', `补偿标准中没有附着物“${item}”以“${unit}”计的标准`);
    }
    // The key is taken as written even if the group is unknown, so all of that household's rows fall together.
    const group = cells[positions.get('villageGroupId') ?? -1];
    const number = cells[positions.get('householdNumber') ?? -1];
    const key = group !== undefined && number !== undefined && textOfCell(group) && textOfCell(number) ? householdKey(textOfCell(group), textOfCell(number)) : undefined;
    state.rows.push({ row: rowNumber, key, fields, failed: failedKeys.size > 0 });
  }

  finish(): SurveyParseResult {
    for (const state of this.#sheets.values()) {
      if (!state.positions) this.#errors.push({ sheet: state.def.name, row: 1, code: 'workbook.sheet-missing', message: `缺少工作表“${state.def.name}”：请使用项目的调查表模板` });
    }
    const unusable = this.#errors.some((e) => e.code.startsWith('workbook.'));

    const members = this.#sheets.get(sheetDef('members').name)!;
    const households = new Map<string, { rows: ReadRow[]; items: Map<SheetKind, ReadRow[]> }>();
    for (const row of members.rows) {
      if (row.key === undefined) continue;
      const household = households.get(row.key) ?? { rows: [] as ReadRow[], items: new Map<SheetKind, ReadRow[]>() };
      households.set(row.key, household);
      household.rows.push(row);
    }

    this.#checkMembers(members.def, households);
    for (const state of this.#sheets.values()) {
      if (state.def.kind === 'members') continue;
      const seen = new Map<string, Set<number>>();
      for (const row of state.rows) {
        if (row.key === undefined) continue;
        const household = households.get(row.key);
        if (!household) {
          this.#error(state.def.name, row.row, 'householdNumber', 'household.items-without-members', '该户在“户及成员”表中没有成员行：请先填写户及成员');
          continue;
        }
        const itemKey = row.fields['itemKey'];
        if (typeof itemKey === 'number') {
          const keys = seen.get(row.key) ?? new Set<number>();
          seen.set(row.key, keys);
          if (keys.has(itemKey)) {
            row.failed = true;
            this.#error(state.def.name, row.row, 'itemKey', 'household.item-key-duplicate', `本户在“${state.def.name}”表中序号 ${itemKey} 重复`);
          }
          keys.add(itemKey);
        }
        const list = household.items.get(state.def.kind) ?? [];
        household.items.set(state.def.kind, list);
        list.push(row);
      }
    }

    const errorsByRow = new Map<string, number>();
    for (const e of this.#errors) errorsByRow.set(`${e.sheet}\u0000${e.row}`, (errorsByRow.get(`${e.sheet}\u0000${e.row}`) ?? 0) + 1);
    const accepted: ParsedHousehold[] = [];
    const rejected: RejectedHousehold[] = [];
    for (const [key, household] of households) {
      const [villageGroupId = '', householdNumber = ''] = key.split('\u0000');
      const itemRows = [...household.items.entries()];
      const all = [...household.rows.map((r) => ({ sheet: members.def.name, row: r })), ...itemRows.flatMap(([kind, rows]) => rows.map((r) => ({ sheet: sheetDef(kind).name, row: r })))];
      const errors = all.reduce((n, { sheet, row }) => n + (errorsByRow.get(`${sheet}\u0000${row.row}`) ?? 0), 0);
      if (unusable || errors > 0 || all.some(({ row }) => row.failed)) {
        rejected.push({ villageGroupId, householdNumber, rows: all.length, errors });
        continue;
      }
      accepted.push(buildHousehold(villageGroupId, householdNumber, household.rows, household.items, all.length));
    }

    const sheetOrder = new Map(SURVEY_SHEETS.map((s, i) => [s.name, i]));
    const errors = [...this.#errors].sort(
      (a, b) => sheetOrder.get(a.sheet)! - sheetOrder.get(b.sheet)! || a.row - b.row || (a.column?.letter.length ?? 0) - (b.column?.letter.length ?? 0) || (a.column?.letter ?? '').localeCompare(b.column?.letter ?? ''),
    );
    return { households: accepted, rejected, errors, rowCount: this.#rowCount, unusable };
  }

  /** Heads, head names, and each ID number in one household only. */
  #checkMembers(def: SheetDef, households: Map<string, { rows: ReadRow[] }>): void {
    const holders = new Map<string, Array<{ key: string; row: ReadRow }>>();
    for (const [key, { rows }] of households) {
      const heads = rows.filter((r) => r.fields['relation'] === HEAD_RELATION);
      if (heads.length === 0 && rows.every((r) => r.fields['relation'] !== undefined)) {
        rows[0]!.failed = true;
        this.#error(def.name, rows[0]!.row, 'relation', 'household.head-missing', '该户没有“与户主关系”为“户主”的成员');
      }
      for (const extra of heads.slice(1)) {
        extra.failed = true;
        this.#error(def.name, extra.row, 'relation', 'household.head-duplicate', '该户有两名户主');
      }
      const headName = heads[0]?.fields['name'];
      if (heads.length === 1 && headName !== undefined) {
        for (const row of rows) {
          if (row.fields['headName'] !== undefined && row.fields['headName'] !== headName) {
            row.failed = true;
            this.#error(def.name, row.row, 'headName', 'household.head-name-mismatch', `户主姓名与户主成员“${String(headName)}”不一致`);
          }
        }
      }
      for (const row of rows) {
        const id = row.fields['idNumber'];
        if (typeof id !== 'string') continue;
        const list = holders.get(id) ?? [];
        holders.set(id, list);
        list.push({ key, row });
      }
    }
    for (const list of holders.values()) {
      if (list.length < 2) continue;
      const keys = new Set(list.map((h) => h.key));
      list.forEach((holder, i) => {
        if (keys.size > 1) {
          const others = [...keys].filter((k) => k !== holder.key).map((k) => k.split('\u0000').join(' 组 户'));
          holder.row.failed = true;
          this.#error(def.name, holder.row.row, 'idNumber', 'household.member-in-two-households', `同一身份证号码的成员也登记在其他户：${others.map((o) => `${o}号`).join('、')}`);
        } else if (i > 0) {
          holder.row.failed = true;
          this.#error(def.name, holder.row.row, 'idNumber', 'household.member-duplicate', '本户中同一身份证号码的成员出现了两次');
        }
      });
    }
  }

  #error(sheet: string, row: number, key: string, code: string, message: string): void {
    const state = this.#sheets.get(sheet)!;
    const column = state.def.columns.find((c) => c.key === key)!;
    const position = state.positions?.get(key);
    this.#errors.push({ sheet, row, ...(position !== undefined ? { column: { header: column.header, letter: columnLetter(position) } } : {}), code, message });
  }

}

function buildHousehold(villageGroupId: string, householdNumber: string, memberRows: ReadRow[], items: Map<SheetKind, ReadRow[]>, rows: number): ParsedHousehold {
  const s = (f: Fields, key: string) => f[key] as string;
  const dated = (kind: SheetKind, f: Fields) => ({
    itemId: `${sheetDef(kind).itemPrefix}-${f['itemKey'] as number}`,
    ...(f['cameIntoBeingOn'] !== undefined ? { cameIntoBeingOn: s(f, 'cameIntoBeingOn') } : {}),
  });
  const ordered = (kind: SheetKind) => [...(items.get(kind) ?? [])].sort((a, b) => (a.fields['itemKey'] as number) - (b.fields['itemKey'] as number)).map((r) => r.fields);

  const members: ParsedMember[] = memberRows.map(({ fields: f }) => ({
    name: s(f, 'name'),
    relation: s(f, 'relation'),
    idNumber: s(f, 'idNumber'),
    dateOfBirth: s(f, 'dateOfBirth'),
    ...(f['military'] !== undefined ? { military: f['military'] as 'serving' | 'retired' } : {}),
  }));
  const parcels: LandParcel[] = ordered('parcels').map((f) => ({ ...dated('parcels', f), parcelNumber: s(f, 'parcelNumber'), landClass: s(f, 'landClass'), areaMu: s(f, 'areaMu') as Decimal }));
  const crops: CropItem[] = ordered('crops').map((f) => ({ ...dated('crops', f), crop: s(f, 'crop'), areaMu: s(f, 'areaMu') }));
  const attachments: AttachmentItem[] = ordered('attachments').map((f) => ({ ...dated('attachments', f), item: s(f, 'item'), unit: s(f, 'unit'), quantity: s(f, 'quantity') }));
  const houses: HouseItem[] = ordered('houses').map((f) => ({
    ...dated('houses', f),
    structure: s(f, 'structure'),
    floorAreaSquareMetres: s(f, 'floorAreaSquareMetres'),
    storeys: f['storeys'] as number,
    legality: ((f['legality'] as Legality | undefined) ?? 'pending'),
  }));
  const headName = members.find((m) => m.relation === HEAD_RELATION)!.name;
  const content = { villageGroupId, householdNumber, headName, members, items: { parcels, crops, attachments, houses } };
  return { ...content, rows, fingerprint: fingerprintOf(content) };
}

/** SHA-256 (hex) of a household's canonical content (keys sorted; row counts and positions left out). */
export function fingerprintOf(content: Pick<ParsedHousehold, 'villageGroupId' | 'householdNumber' | 'headName' | 'members' | 'items'>): string {
  const { villageGroupId, householdNumber, headName, members, items } = content;
  return createHash('sha256').update(canonicalJson({ villageGroupId, householdNumber, headName, members, items })).digest('hex');
}
