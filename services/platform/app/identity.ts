import { AGENCIES, findJurisdiction, jurisdictionFullName, type AgencyId, type JurisdictionLevel } from '../../../shared/agencies.ts';
import type { ActionContext } from '../../../shared/audit.ts';
import { formatBeijing } from '../../../shared/calendar/index.ts';
import { actionsOf, authorize, type Action } from '../../../shared/permissions.ts';

export interface CallerView {
  user: string;
  name?: string;
  agency: AgencyId;
  agencyName: string;
  jurisdiction: string;
  jurisdictionName: string;
  level: JurisdictionLevel;
  /** What the agency's duties include; each act is still checked against its target's jurisdiction. */
  actions: Action[];
  /** The server's clock (the local cloud's clock is virtual): deadlines are judged against it, never the browser's. */
  now: string;
  nowBeijing: string;
}

/** Who the token speaks for, what its agency may do, and the time on the server's clock. */
export function whoAmI(ctx: ActionContext): CallerView {
  const { actor } = ctx;
  authorize(actor, 'identity.read', [actor.jurisdiction]);
  // The identity was checked against the jurisdiction table when the token was read.
  const place = findJurisdiction(actor.jurisdiction);
  if (!place) throw new Error(`identity with an unknown jurisdiction: ${actor.jurisdiction}`);
  return {
    user: actor.user,
    ...(actor.name ? { name: actor.name } : {}),
    agency: actor.agency,
    agencyName: AGENCIES[actor.agency].nameZh,
    jurisdiction: place.id,
    jurisdictionName: jurisdictionFullName(place.id) ?? place.nameZh,
    level: place.level,
    actions: actionsOf(actor.agency),
    now: ctx.now.toISOString(),
    nowBeijing: formatBeijing(ctx.now),
  };
}
