import type { AgencyId } from '../../shared/agencies.ts';

/**
 * The agencies' Chinese names, for answers that carry only an id (a resolution's owner, an alert's
 * responsible agency). The console takes no code from shared/ (it reaches the system through the
 * API alone); the Record over AgencyId makes `tsc -p console` fail when an agency is added there
 * and not here.
 */
export const AGENCY_ZH: Readonly<Record<AgencyId, string>> = {
  'leading-group-office': '领导小组办公室',
  'land-bureau': '市国土资源局',
  'housing-bureau': '市房产局',
  'district-government': '区人民政府 / 经开区管委会',
  township: '乡镇人民政府 / 街道办事处',
  'discipline-commission': '市纪委市监委',
  procuratorate: '市人民检察院',
  'intermediate-court': '市中级人民法院',
  'basic-court': '区人民法院',
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
};
