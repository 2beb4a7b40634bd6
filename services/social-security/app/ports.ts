import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { ProtectedValue } from '../../../shared/pii/pii-vault.ts';
import type { PersonSocialSecurity } from '../domain/social-security.ts';

export interface SocialSecurityRepository {
  /** Every person's record of the household. */
  ofHousehold(householdId: string): Promise<Array<Versioned<PersonSocialSecurity>>>;
  /** Writes the person's record; a first record written by another transfer in between is refused (409). */
  save(record: PersonSocialSecurity, expected: Expected): Change;
  /** The person's sealed social insurance number, kept beside the record once, never returned. */
  keepSealedNumber(householdId: string, memberId: string, sealed: ProtectedValue): Change;
}
