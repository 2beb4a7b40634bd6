/**
 * The Chinese words the household screens show for the API's codes (states, kinds, payees) and
 * the small pure helpers they share: a search typed by a clerk, an evidence upload's purpose.
 */
import type { AgencyId } from '../../../shared/agencies.ts';

export const HOUSEHOLD_STATE_ZH: Record<string, string> = {
  surveying: '调查中',
  confirmed: '已确认调查结果',
  disputed: '有异议',
  signed: '已签协议',
};

export const SURVEY_STATUS_ZH: Record<string, string> = { draft: '待户主签字确认', confirmed: '户主已签字确认' };

export const LEGALITY_ZH: Record<string, string> = { legal: '合法', illegal: '违法建筑（不予补偿）', pending: '待住建局认定' };

export const LINE_KIND_ZH: Record<string, string> = {
  'land-compensation': '土地补偿费',
  'resettlement-subsidy': '安置补助费',
  crop: '青苗补偿费',
  attachment: '附着物补偿费',
  house: '房屋补偿费',
  'social-security': '社会保障费用',
  'swap-house-price': '安置房价款',
  'swap-difference': '产权调换差价',
};

export const PAYEE_ZH: Record<string, string> = {
  collective: '村集体经济组织',
  'resettled-person': '安置人员',
  owner: '所有权人',
  'social-security-fund': '社会保障资金专户',
};

export const AGREEMENT_STATUS_ZH: Record<string, string> = { drafted: '已拟定，待签订', signed: '已签订', superseded: '已被补充协议取代' };
export const AGREEMENT_KIND_ZH: Record<string, string> = { original: '征收土地协议', supplementary: '补充协议' };

export const PAYMENT_STATUS_ZH: Record<string, string> = { instructed: '已下达', sent: '已发送银行', confirmed: '已入账', rejected: '银行退回', unknown: '结果待查' };
export const PAYMENT_CLOCK_ZH: Record<string, string> = { open: '期限内', met: '已按期足额支付', 'met-late': '逾期后足额支付', overdue: '已逾期未足额支付', elapsed: '期限已届满', cancelled: '已撤销' };
export const FUND_ZH: Record<string, string> = { compensation: '征地补偿资金', 'social-security-subsidy': '社会保障补贴资金' };

export const HANDOVER_STATE_ZH: Record<string, string> = {
  'awaiting-payment': '待补偿款足额支付',
  'not-started': '可腾地交地，尚未登记',
  'awaiting-confirmation': '已登记，待另一方确认',
  'handed-over': '已腾地交地',
  refused: '拒不腾地',
};

export const IMPORT_STATUS_ZH: Record<string, string> = { running: '正在导入', completed: '导入完成', failed: '导入失败' };

export { AGENCY_ZH } from '../agencies.ts';

/** A code in Chinese, or the code itself when the console does not know it yet (never blank). */
export const zh = (table: Record<string, string>, code: string): string => table[code] ?? code;

/**
 * What a clerk typed into the search box, as the list's `q`: trimmed, inner spaces dropped (an ID's
 * last digits are often typed "00 11"), an `x` check digit upper-cased as ID numbers write it.
 * Empty means no search.
 */
export function searchTerm(typed: string): string | undefined {
  const term = typed.replace(/\s+/g, '');
  if (term === '') return undefined;
  return /^[0-9xX*]+$/.test(term) ? term.toUpperCase() : term;
}

/** What a photo taken by this agency proves (services/compensation/domain/uploads.ts): urban management films houses. */
export function evidencePurposeOf(agency: AgencyId): 'house-film' | 'survey-photo' {
  return agency === 'urban-management' ? 'house-film' : 'survey-photo';
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Browsers on some systems give an .xlsx no type; the API accepts the workbook only under its own. */
export function workbookContentType(fileName: string, browserType: string): string {
  return /\.xlsx$/i.test(fileName) ? XLSX_TYPE : browserType;
}
