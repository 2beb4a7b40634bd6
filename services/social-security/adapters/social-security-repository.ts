import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import { ConflictError } from '../../../shared/errors.ts';
import type { ProtectedValue } from '../../../shared/pii/pii-vault.ts';
import type { SocialSecurityRepository } from '../app/ports.ts';
import type { PersonSocialSecurity } from '../domain/social-security.ts';

/**
 * The household's social-security records have a partition of their own (not the case's): one
 * record per person, and beside it the person's sealed social insurance number, which no read
 * of the records returns.
 */
export const socialSecurityPk = (householdId: string) => `SOCIAL-SECURITY#${householdId}`;
const PERSON = 'PERSON#';
const sealedNumberSk = (memberId: string) => `SEALED-NUMBER#${memberId}`;

export class TableSocialSecurityRepository implements SocialSecurityRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async ofHousehold(householdId: string): Promise<Array<Versioned<PersonSocialSecurity>>> {
    return (await this.#table.query(socialSecurityPk(householdId), PERSON)).map((item) => entityOf<PersonSocialSecurity>(item));
  }

  save(record: PersonSocialSecurity, expected: Expected): Change {
    // Two transfers of one person read "none yet" at once: the second commit is refused here.
    const twice = new ConflictError('social-security.transfer-recorded', `${record.name}的社会保障补贴资金划转已由他人同时登记，不能重复登记`, { memberId: record.memberId });
    const key = { pk: socialSecurityPk(record.householdId), sk: `${PERSON}${record.memberId}` };
    return put('social-security-person', itemOf(key, 'social-security-person', record), expected, expected === 'absent' ? twice : undefined);
  }

  keepSealedNumber(householdId: string, memberId: string, sealed: ProtectedValue): Change {
    const key = { pk: socialSecurityPk(householdId), sk: sealedNumberSk(memberId) };
    return put('social-security-number', itemOf(key, 'social-security-number', { householdId, memberId, socialSecurityNumber: sealed }), 'absent');
  }
}
