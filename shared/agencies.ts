/**
 * The agencies of the coordination mechanism (seed §二–§三) as data, and the jurisdictions they
 * act in. Townships and the two district-level governments are many instances of one kind: the
 * instance is told apart by its jurisdiction, never by its agency id.
 */

export const AGENCY_IDS = [
  'leading-group-office',
  'land-bureau',
  'housing-bureau',
  'district-government',
  'township',
  'discipline-commission',
  'procuratorate',
  'intermediate-court',
  'basic-court',
  'public-security',
  'finance',
  'housing-construction',
  'urban-management',
  'hr-social-security',
  'civil-affairs',
  'legal-affairs-office',
  'petition-bureau',
  'investment-group',
  'supervision-office',
  'city-government',
] as const;

export type AgencyId = (typeof AGENCY_IDS)[number];

/** The level a jurisdiction sits at: the whole city, a district, or a township/street office. */
export type JurisdictionLevel = 'city' | 'district' | 'township';

export interface Agency {
  id: AgencyId;
  nameZh: string;
  nameEn: string;
  /** Levels at which an instance of this agency may hold a jurisdiction. */
  levels: readonly JurisdictionLevel[];
  /** Seed section that sets its duties. */
  source: string;
}

export const AGENCIES: Readonly<Record<AgencyId, Agency>> = {
  'leading-group-office': { id: 'leading-group-office', nameZh: '中心城区征地拆迁工作协调领导小组办公室', nameEn: 'Leading group office', levels: ['city'], source: '§二' },
  'land-bureau': { id: 'land-bureau', nameZh: '市国土资源局', nameEn: 'Land and resources bureau (and its district branches)', levels: ['city', 'district'], source: '§三(一)' },
  'housing-bureau': { id: 'housing-bureau', nameZh: '市房产局', nameEn: 'Housing bureau', levels: ['city'], source: '§三(二)' },
  'district-government': { id: 'district-government', nameZh: '区人民政府 / 经开区管委会', nameEn: 'District government / development-zone committee', levels: ['district'], source: '§三(三)' },
  township: { id: 'township', nameZh: '乡镇人民政府 / 街道办事处', nameEn: 'Township government / street office', levels: ['township'], source: '§三(三)' },
  'discipline-commission': { id: 'discipline-commission', nameZh: '市纪委市监委', nameEn: 'Discipline inspection and supervision commission', levels: ['city'], source: '§三(四)' },
  procuratorate: { id: 'procuratorate', nameZh: '市人民检察院', nameEn: "People's procuratorate", levels: ['city'], source: '§三(五)' },
  'intermediate-court': { id: 'intermediate-court', nameZh: '市中级人民法院', nameEn: "Intermediate people's court", levels: ['city'], source: '§三(六)' },
  // The seed names the intermediate court; the law sends the application to the basic-level court
  // where the land lies (行政强制法第五十四条): the court that receives it acts.
  'basic-court': { id: 'basic-court', nameZh: '区人民法院（基层人民法院）', nameEn: "Basic people's court (of the district)", levels: ['district'], source: '§三(六)；《中华人民共和国行政强制法》第五十四条' },
  'public-security': { id: 'public-security', nameZh: '市公安局', nameEn: 'Public security bureau', levels: ['city', 'district'], source: '§三(七)' },
  finance: { id: 'finance', nameZh: '市财政局', nameEn: 'Finance bureau', levels: ['city'], source: '§三(八)' },
  'housing-construction': { id: 'housing-construction', nameZh: '市住建局', nameEn: 'Housing and urban-rural construction bureau', levels: ['city'], source: '§三(九)' },
  'urban-management': { id: 'urban-management', nameZh: '市城管执法局', nameEn: 'Urban management law-enforcement bureau', levels: ['city', 'district'], source: '§三(十)' },
  'hr-social-security': { id: 'hr-social-security', nameZh: '市人社局', nameEn: 'Human resources and social security bureau', levels: ['city'], source: '§三(十一)' },
  'civil-affairs': { id: 'civil-affairs', nameZh: '市民政局', nameEn: 'Civil affairs bureau', levels: ['city'], source: '§三(十二)' },
  'legal-affairs-office': { id: 'legal-affairs-office', nameZh: '市政府法制办', nameEn: 'Legal affairs office of the city government', levels: ['city'], source: '§三(十三)' },
  'petition-bureau': { id: 'petition-bureau', nameZh: '市信访局', nameEn: 'Petition (letters and visits) bureau', levels: ['city'], source: '§三(十四)' },
  // Named by the seed beside the agencies: the office that inspects with the discipline commission
  // (§四(四)), and the city government that approves the topic meeting's opinion (§三(三)).
  'supervision-office': { id: 'supervision-office', nameZh: '市委、市政府督查室', nameEn: 'Supervision office of the city party committee and government', levels: ['city'], source: '§四(四)' },
  'city-government': { id: 'city-government', nameZh: '市人民政府', nameEn: 'City government', levels: ['city'], source: '§三(三)' },
  'investment-group': { id: 'investment-group', nameZh: '市城投集团 / 市经投集团', nameEn: 'City investment groups', levels: ['city'], source: '§三(十五)' },
};

export function isAgencyId(value: string): value is AgencyId {
  return (AGENCY_IDS as readonly string[]).includes(value);
}

export interface Jurisdiction {
  /** Hierarchical id: `yongzhou`, `yongzhou/lengshuitan`, `yongzhou/lengshuitan/meiwan`. */
  id: string;
  nameZh: string;
  level: JurisdictionLevel;
}

/**
 * The central district's jurisdictions. The townships listed are the ones configured so far; a
 * deployment adds its own here (data, not logic).
 */
export const JURISDICTIONS: readonly Jurisdiction[] = [
  { id: 'yongzhou', nameZh: '永州市', level: 'city' },
  { id: 'yongzhou/lengshuitan', nameZh: '冷水滩区', level: 'district' },
  { id: 'yongzhou/etdz', nameZh: '永州经济技术开发区', level: 'district' },
  { id: 'yongzhou/lengshuitan/meiwan', nameZh: '梅湾街道', level: 'township' },
  { id: 'yongzhou/lengshuitan/lingjiaotang', nameZh: '菱角塘街道', level: 'township' },
  { id: 'yongzhou/lengshuitan/shanhu', nameZh: '珊瑚街道', level: 'township' },
  { id: 'yongzhou/lengshuitan/yitang', nameZh: '伊塘镇', level: 'township' },
  { id: 'yongzhou/lengshuitan/huangyangsi', nameZh: '黄阳司镇', level: 'township' },
  { id: 'yongzhou/etdz/township-a', nameZh: '经开区甲街道（示例）', level: 'township' },
];

/**
 * The city whose procedure this deployment runs: the one city-level jurisdiction of the table.
 * City-wide duties (the leading group office, the legal affairs office, performance records,
 * the holiday calendar) are checked against it — never against a name written in code.
 */
export const CITY: Jurisdiction = (() => {
  const cities = JURISDICTIONS.filter((j) => j.level === 'city');
  if (cities.length !== 1) throw new Error(`the jurisdiction table must name exactly one city, found ${cities.length}`);
  return cities[0]!;
})();

export function findJurisdiction(id: string): Jurisdiction | undefined {
  return JURISDICTIONS.find((j) => j.id === id);
}

/** True when `holder` covers `target`: the same jurisdiction or one inside it. */
export function covers(holder: string, target: string): boolean {
  return target === holder || target.startsWith(`${holder}/`);
}

/** The district a township or district jurisdiction belongs to (undefined for the city). */
export function districtOf(jurisdictionId: string): string | undefined {
  const parts = jurisdictionId.split('/');
  return parts.length >= 2 ? parts.slice(0, 2).join('/') : undefined;
}

/**
 * A jurisdiction's full Chinese name, each enclosing jurisdiction first: `永州市冷水滩区梅湾街道`
 * for `yongzhou/lengshuitan/meiwan`. Undefined for an id the table does not hold.
 */
export function jurisdictionFullName(id: string): string | undefined {
  if (!findJurisdiction(id)) return undefined;
  const parts = id.split('/');
  return parts.map((_, i) => findJurisdiction(parts.slice(0, i + 1).join('/'))?.nameZh ?? '').join('');
}

/**
 * The districts whose projects a jurisdiction may see: every district of the table for the city,
 * the district itself, or the district a township lies in (projects are filed by district).
 */
export function districtsSeenFrom(jurisdictionId: string): string[] {
  return JURISDICTIONS.filter((j) => j.level === 'district' && (covers(jurisdictionId, j.id) || covers(j.id, jurisdictionId))).map((j) => j.id);
}
