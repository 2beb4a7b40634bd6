import type { AgencyId } from '../../shared/agencies.ts';

/**
 * The agencies' Chinese names, for answers that carry only an id (a resolution's owner, an alert's
 * responsible agency). They come from shared/agencies.ts at build time (`console/build.ts` defines
 * `__AGENCY_NAMES__`; vitest.config.ts does the same for the unit tests): one list, no code of the
 * kernel in the bundle.
 */
declare const __AGENCY_NAMES__: Readonly<Record<AgencyId, string>>;
export const AGENCY_ZH: Readonly<Record<AgencyId, string>> = __AGENCY_NAMES__;

/** The jurisdictions' Chinese names (shared/agencies.ts JURISDICTIONS), compiled in the same way. */
declare const __JURISDICTION_NAMES__: Readonly<Record<string, string>>;
const JURISDICTION_ZH: Readonly<Record<string, string>> = __JURISDICTION_NAMES__;

/** An agency's Chinese name; an id the build did not know shows as itself. */
export function agencyName(agency: string): string {
  return (AGENCY_ZH as Readonly<Record<string, string>>)[agency] ?? agency;
}

/** A jurisdiction's Chinese name (冷水滩区, 梅湾街道); one not listed shows as its id. */
export function jurisdictionName(id: string): string {
  return JURISDICTION_ZH[id] ?? id;
}

/** Does a clerk's jurisdiction cover this one (itself or an enclosing level)? The API decides; this only hides buttons. */
export function covers(jurisdiction: string, target: string): boolean {
  return target === jurisdiction || target.startsWith(`${jurisdiction}/`);
}
