import type { AgencyId } from '../../shared/agencies.ts';

/**
 * The agencies' Chinese names, for answers that carry only an id (a resolution's owner, an alert's
 * responsible agency). They come from shared/agencies.ts at build time (`console/build.ts` defines
 * `__AGENCY_NAMES__`; vitest.config.ts does the same for the unit tests): one list, no code of the
 * kernel in the bundle.
 */
declare const __AGENCY_NAMES__: Readonly<Record<AgencyId, string>>;
export const AGENCY_ZH: Readonly<Record<AgencyId, string>> = __AGENCY_NAMES__;
