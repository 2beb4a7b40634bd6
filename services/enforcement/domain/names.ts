import { AGENCIES, CITY, findJurisdiction, type AgencyId } from '../../../shared/agencies.ts';

/**
 * The names an instrument prints: who issues it, and where the household may challenge it. Built
 * from the agency and jurisdiction tables, so a court reads the same name the system acts under.
 */

function jurisdictionName(id: string): string {
  const jurisdiction = findJurisdiction(id);
  if (!jurisdiction) throw new Error(`unknown jurisdiction: ${id}`);
  return jurisdiction.nameZh;
}

/** A development zone has a management committee, not a people's government. */
const isDevelopmentZone = (name: string) => name.endsWith('开发区');

/** `永州市人民政府`. */
export const cityGovernmentName = () => `${CITY.nameZh}人民政府`;

/** `永州市中级人民法院`. */
export const intermediateCourtName = () => `${CITY.nameZh}中级人民法院`;

/**
 * The name an agency issues documents under in a district: the district government as
 * 冷水滩区人民政府 (the development zone's as its 管理委员会), a city department with the city's
 * name in front (市国土资源局 → 永州市国土资源局).
 */
export function agencyNameZh(agency: AgencyId, district: string): string {
  if (agency === 'district-government') {
    const name = jurisdictionName(district);
    return isDevelopmentZone(name) ? `${name}管理委员会` : `${name}人民政府`;
  }
  if (agency === 'basic-court') return basicCourtName(district);
  const { nameZh } = AGENCIES[agency];
  return nameZh.startsWith('市') ? `${CITY.nameZh.replace(/市$/, '')}${nameZh}` : nameZh;
}

/**
 * The basic-level court of a district (ALL art. 14; art. 20: the court where the land lies). A
 * development zone is no court district: the court is named by where the land lies, not guessed.
 */
export function basicCourtName(district: string): string {
  const name = jurisdictionName(district);
  return isDevelopmentZone(name) ? `${name}所在地有管辖权的基层人民法院` : `${name}人民法院`;
}

export interface RemedyBodies {
  /** Where to apply for reconsideration (ARL 2023 art. 24). */
  reconsideration: string;
  /** Where to sue at first instance. */
  court: string;
}

/**
 * Where a decision is challenged:
 * - a city department's (the land bureau, urban management): reconsideration by the city
 *   government (ARL 2023 art. 24(1)), suit in the basic court where the land lies (ALL arts. 14, 20);
 * - a district government's (or the zone's committee): reconsideration by the city government
 *   (ARL 2023 art. 24(1)), suit in the intermediate court at first instance (ALL art. 15(1)).
 */
export function remedyBodiesOf(issuer: AgencyId, district: string): RemedyBodies {
  const court = issuer === 'district-government' ? intermediateCourtName() : basicCourtName(district);
  return { reconsideration: cityGovernmentName(), court };
}
