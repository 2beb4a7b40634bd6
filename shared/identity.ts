import { AGENCIES, findJurisdiction, isAgencyId, type AgencyId } from './agencies.ts';
import { ForbiddenError, UnauthenticatedError } from './errors.ts';

/** Who is acting: taken from the verified token's claims, never from the request body. */
export interface Identity {
  user: string;
  agency: AgencyId;
  /** Hierarchical jurisdiction id, e.g. `yongzhou/lengshuitan/meiwan`. */
  jurisdiction: string;
  name?: string;
}

/**
 * Reads the identity from JWT claims as API Gateway's JWT authorizer passes them (all values are
 * strings). The authorizer has already verified the signature, issuer, audience and expiry.
 */
export function identityFromClaims(claims: Record<string, unknown> | undefined): Identity {
  const user = typeof claims?.sub === 'string' ? claims.sub : '';
  const agency = typeof claims?.agency === 'string' ? claims.agency : '';
  const jurisdiction = typeof claims?.jurisdiction === 'string' ? claims.jurisdiction : '';
  const place = findJurisdiction(jurisdiction);
  if (!user || !isAgencyId(agency) || !place) {
    throw new UnauthenticatedError('identity.invalid', '身份令牌缺少有效的用户、单位或辖区信息');
  }
  // A mis-issued token must not become wider power: a township acts at township level only, etc.
  if (!AGENCIES[agency].levels.includes(place.level)) {
    throw new ForbiddenError('identity.level-mismatch', `${AGENCIES[agency].nameZh}不能以“${place.nameZh}”的辖区身份办理业务`, { agency, jurisdiction });
  }
  const name = typeof claims?.name === 'string' ? claims.name : undefined;
  return { user, agency, jurisdiction, ...(name ? { name } : {}) };
}
