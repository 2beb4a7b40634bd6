/**
 * The Chinese names of the agencies and jurisdictions, as shared/agencies.ts gives them. The API
 * names only the signed-in agency (GET /me); a timeline step names its responsible agency by id.
 * The console may not import the kernel's data (only its types), so the names are repeated here:
 * `satisfies Record<AgencyId, string>` makes a new agency a compile error until it is named.
 */
import type { AgencyId } from '../../shared/agencies.ts';

export const AGENCY_NAMES = {
  'leading-group-office': '中心城区征地拆迁工作协调领导小组办公室',
  'land-bureau': '市国土资源局',
  'housing-bureau': '市房产局',
  'district-government': '区人民政府 / 经开区管委会',
  township: '乡镇人民政府 / 街道办事处',
  'discipline-commission': '市纪委市监委',
  procuratorate: '市人民检察院',
  'intermediate-court': '市中级人民法院',
  'basic-court': '区人民法院（基层人民法院）',
  'public-security': '市公安局',
  finance: '市财政局',
  'housing-construction': '市住建局',
  'urban-management': '市城管执法局',
  'hr-social-security': '市人社局',
  'civil-affairs': '市民政局',
  'legal-affairs-office': '市政府法制办',
  'petition-bureau': '市信访局',
  'investment-group': '市城投集团 / 市经投集团',
  'supervision-office': '市委、市政府督查室',
  'city-government': '市人民政府',
} as const satisfies Record<AgencyId, string>;

export function agencyName(agency: string): string {
  return (AGENCY_NAMES as Record<string, string>)[agency] ?? agency;
}

/** The jurisdictions of shared/agencies.ts JURISDICTIONS; one not listed shows as its id. */
const JURISDICTION_NAMES: Record<string, string> = {
  yongzhou: '永州市',
  'yongzhou/lengshuitan': '冷水滩区',
  'yongzhou/etdz': '永州经济技术开发区',
  'yongzhou/lengshuitan/meiwan': '梅湾街道',
  'yongzhou/lengshuitan/lingjiaotang': '菱角塘街道',
  'yongzhou/lengshuitan/shanhu': '珊瑚街道',
  'yongzhou/lengshuitan/yitang': '伊塘镇',
  'yongzhou/lengshuitan/huangyangsi': '黄阳司镇',
  'yongzhou/etdz/township-a': '经开区甲街道（示例）',
};

export function jurisdictionName(id: string): string {
  return JURISDICTION_NAMES[id] ?? id;
}

/** Does a clerk's jurisdiction cover this one (itself or an enclosing level)? The API decides; this only hides buttons. */
export function covers(jurisdiction: string, target: string): boolean {
  return target === jurisdiction || target.startsWith(`${jurisdiction}/`);
}
